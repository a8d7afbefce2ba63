import type { TFaqInput } from '@cpe/shared';
import type { AppContext } from '../../context.js';

/** 常见问题 taken from the 公需科目操作手册 (seed), so the demo's 咨询方式 page answers the manual's questions. */
const DEMO_FAQS: TFaqInput[] = [
  {
    topic: '账号注册登录',
    question: '登录时提示“用户名或密码错误”怎么办？',
    answer:
      '请点击登录页面“忘记密码”进行密码重置，并使用手机号及重置后密码进行手机号登录。若密码重置失败或手机号发生变更，请通过首页右侧在线客服联系管理员。',
  },
  {
    topic: '账号注册登录',
    question: '注册时需要注意什么？',
    answer: '注册信息将作为合格证书的重要数据，请谨慎填写，确保信息的真实准确。建议使用谷歌浏览器，兼容性最佳。',
  },
  {
    topic: '购买与发票',
    question: '单位未注册的参训人员较多，如何统一注册？',
    answer:
      '若未注册的参训人员较少，可由学员在平台上自主注册。若单位未注册人数超过10人，可指定专人将未注册的参训学员名单（附件2）发送至2020gxkm@cqhrsp.com邮箱，在收到邮件后2个工作日内，由市人服中心工作人员统一为未注册的学员注册账号。',
  },
  {
    topic: '购买与发票',
    question: '团体购买失败怎么办？',
    answer: '可在页面左下角点击“下载错误文件”，查看原因后进行修改并重新提交订单。',
  },
  {
    topic: '购买与发票',
    question: '可以跨年补开发票吗？',
    answer:
      '不能跨年补开发票，请在缴费当年申请发票。申请开票成功15日内可修改发票1次，跨年不可修改。开票前，请与贵单位的财务人员核实开票信息，以免填写错误。',
  },
  {
    topic: '在线学习',
    question: '看完了课程为什么没有获得学分？',
    answer:
      '一个课程有多个章节，需要学习完每个章节才可获得学分。平台已开启防挂机功能，学习过程中请注意答题。可通过“学分要求”和“计划完成度”查看项目完成情况。',
  },
  {
    topic: '证书',
    question: '如何打印合格证书？',
    answer:
      '达到培训项目要求的学分后，返回课程培训页面，在导航栏选择“我的证书”，查看已完成的培训计划，点击按钮“打印证书”，按照提示完善个人信息后即可打印合格证书。合格证已采用电子印章，无需加盖鲜章。',
  },
  {
    topic: '证书',
    question: '打印证书时找不到我的单位怎么办？',
    answer: '组织机构选择贵单位，若查找不到贵单位，请选择您档案所在区县。',
  },
].map((f) => ({ ...f, published: true }));

/** Adds the demo FAQ once (when there is none); returns how many were added. */
export async function seedDemoFaqs(ctx: AppContext, staffId: string): Promise<number> {
  if ((await ctx.help.faqList()).items.length > 0) return 0;
  for (const f of DEMO_FAQS) await ctx.help.faqCreate(staffId, f, { ip: '127.0.0.1', userAgent: 'seed' });
  return DEMO_FAQS.length;
}
