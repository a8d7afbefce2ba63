import { Alert } from 'antd';

/** The seed's notes on 附件2, word for word, and the other documents the list takes (as the template's notes). */
export const ROSTER_NOTES = [
  '1.文件格式要求为Excel电子格式，注册信息将作为培训合格证书的重要数据，事关职称评审等相关工作，请认真填写，确保信息的真实准确；',
  '2.用户名统一为身份证号码，初始密码为edu@身份证号码后六位，首次登录须修改密码。',
  '3.港澳台居民可填写港澳居民居住证或台湾居民居住证号码，外籍人员可填写外国人永久居留身份证号码（18位或旧版15位），用户名和初始密码同上；持护照的外籍人员请本人在平台注册。',
] as const;

export function RosterNotes() {
  return (
    <Alert
      className="cpe-roster-notes"
      type="info"
      showIcon
      title="注："
      description={
        <ol className="cpe-roster-notes-list">
          {ROSTER_NOTES.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ol>
      }
    />
  );
}
