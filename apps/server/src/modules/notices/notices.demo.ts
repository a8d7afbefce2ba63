import type { AppContext } from '../../context.js';

const DAY = 86_400_000;

/** 通知公告 for the demo portal's home page, about the year's 公需科目 (seed 000 §六 wording). */
function demoNotices(year: number) {
  return [
    {
      title: `关于开展重庆市${year}年度专业技术人员继续教育公需科目学习的通知`,
      pinned: true,
      daysAgo: 6,
      audience: 'all' as const,
      body: [
        '各区县人力社保局，各有关单位，广大专业技术人员：',
        '',
        `根据《专业技术人员继续教育规定》，现将${year}年度公需科目学习有关事项通知如下。`,
        '',
        '## 一、学习对象',
        '全市各类企事业单位的专业技术人员。',
        '',
        '## 二、学习要求',
        '1. 每人每年完成公需科目**30学时**，学完每门课程的全部章节方可获得学时；',
        '2. 平台已开启防挂机功能，学习过程中请注意答题；',
        `3. 请于${year}年12月31日前完成学习并打印合格证书。`,
        '',
        '## 三、咨询方式',
        '账号注册、登录、证书问题咨询：400-023-9229（按1）；学习技术咨询：400-618-7500（按2）。',
      ].join('\n'),
    },
    {
      title: `${year}年度公需科目发票申请须知`,
      pinned: false,
      daysAgo: 3,
      audience: 'all' as const,
      body: [
        '缴费成功后可在“我的订单”中申请电子发票，请注意：',
        '',
        '- 开票前请与单位财务人员核实开票信息；',
        '- 申请开票成功15日内可修改发票1次；',
        '- 不能跨年补开发票，请在缴费当年申请。',
      ].join('\n'),
    },
    {
      title: '单位统一注册学员（学员注册名单）报送说明',
      pinned: false,
      daysAgo: 1,
      audience: 'all' as const,
      body: [
        '单位未注册的参训人员较多时，单位管理员可在单位中心下载《学员注册名单》模板（附件2），填写后上传，平台将统一为学员创建账号，用户名为身份证号码，初始密码以短信告知。',
        '',
        '若未注册人数较少，也可由学员在平台上自主注册。',
      ].join('\n'),
    },
  ];
}

/** Adds the demo notices once (when there is none); returns how many were added. */
export async function seedDemoNotices(ctx: AppContext, staffId: string, year: number): Promise<number> {
  if ((await ctx.notices.adminList(staffId, { page: 1, pageSize: 1, order: 'desc' })).total > 0) return 0;
  const meta = { ip: '127.0.0.1', userAgent: 'seed' };
  const now = ctx.clock.now().getTime();
  const list = demoNotices(year);
  for (const n of list) {
    const created = await ctx.notices.create(
      staffId,
      {
        title: n.title,
        body: n.body,
        audience: n.audience,
        districtCode: null,
        pinned: n.pinned,
        publishAt: new Date(now - n.daysAgo * DAY).toISOString(),
        withdrawAt: null,
        attachmentIds: [],
      },
      meta,
    );
    await ctx.notices.publish(staffId, created.id, meta);
  }
  return list.length;
}
