import { Button, Modal } from 'antd';

/** 《<authCenterName>注册协议》: what the account is, what is collected and how it is protected (PIPL). */
export function AgreementModal({
  open,
  authCenterName,
  siteName,
  onClose,
  onAgree,
}: {
  open: boolean;
  authCenterName: string;
  siteName: string;
  onClose: () => void;
  onAgree: () => void;
}) {
  return (
    <Modal
      open={open}
      title={`《${authCenterName}注册协议》`}
      onCancel={onClose}
      width={720}
      footer={[
        <Button key="back" onClick={onClose}>
          返回
        </Button>,
        <Button key="agree" type="primary" onClick={onAgree}>
          同意
        </Button>,
      ]}
    >
      <div className="cpe-agreement">
        <p>
          欢迎您注册{authCenterName}账号。本协议是您与{authCenterName}
          （以下简称“认证中心”）之间关于账号注册和使用的约定。
          请您在注册前仔细阅读本协议，勾选“我已阅读并同意”即表示您同意遵守本协议的全部内容。
        </p>
        <h4>一、账号注册</h4>
        <p>
          1. 本账号是您享受{siteName}
          等政务服务的网上通行证。您应使用本人真实、准确、有效的身份信息注册，一个身份证号码只能注册一个账号。
        </p>
        <p>2. 注册时须通过实名认证（姓名与身份证号码核验）。身份证号码一经绑定将不能修改。</p>
        <p>3. 用户账号注册后不可更改，请妥善设置并牢记。</p>
        <h4>二、账号安全</h4>
        <p>1. 您应妥善保管账号和密码，不得将账号转让、出借给他人使用。因您保管不善造成的损失由您自行承担。</p>
        <p>2. 发现账号被他人冒用或存在安全漏洞时，请立即修改密码，并拨打咨询电话告知我们。</p>
        <p>3. 为保护您的账号安全，连续多次输入错误密码后账号将被暂时锁定。</p>
        <h4>三、个人信息保护</h4>
        <p>
          1.
          我们依据《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》等法律法规，仅为身份认证、办理业务和保障账号安全之目的，
          收集您的姓名、身份证号码、手机号码等必要信息。
        </p>
        <p>
          2. 您的身份证号码和手机号码加密存储；在页面、列表和日志中均作脱敏显示（如
          150****5655）。工作人员查看您的个人信息时，系统将记录审计日志。
        </p>
        <p>3. 除法律法规规定或经您同意外，我们不会向任何第三方提供、出售或公开您的个人信息。</p>
        <p>4. 您有权查询、更正您的个人信息，并可通过个人中心修改密码、更换手机号码。</p>
        <h4>四、用户义务</h4>
        <p>您承诺遵守国家法律法规，不利用本账号从事违法活动，不得提交虚假材料，不得干扰系统正常运行。</p>
        <h4>五、服务变更与中止</h4>
        <p>
          因系统维护、升级或不可抗力造成服务中断的，我们将尽可能提前公告。您违反本协议的，我们有权暂停或终止您的账号使用。
        </p>
        <h4>六、其他</h4>
        <p>
          本协议的解释和争议解决适用中华人民共和国法律。本协议内容如有变更，将在平台公布，变更后继续使用即视为同意。
        </p>
      </div>
    </Modal>
  );
}
