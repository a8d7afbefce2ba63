import { zIdNumber, zPhone, zRealName } from '@cpe/shared/schemas/identity';
import { Alert, Button, Form, Input, Result, type UploadFile } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../api';
import { AuthPanel } from '../components/AuthPanel';
import { chosenPhoto, DocumentPhotoField } from '../components/DocumentPhotoField';

interface RecoveryValues {
  realName: string;
  idNumber: string;
  newPhone: string;
  note?: string;
  photo: UploadFile[];
}

const FORM_LAYOUT = { labelCol: { sm: { span: 6 } }, wrapperCol: { sm: { span: 16 } } } as const;
const TAIL_LAYOUT = { wrapperCol: { sm: { offset: 6, span: 16 } } } as const;

/** 通过人工找回: name, ID number, a new phone and a photo of the ID card, checked by staff. */
export function ManualRecoveryPage() {
  const site = useSite().data;
  usePageTitle('人工找回', site?.authCenterName);
  const navigate = useNavigate();
  const showError = useShowApiError();
  const [form] = Form.useForm<RecoveryValues>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const onFinish = async (v: RecoveryValues) => {
    const chosen = chosenPhoto(v.photo);
    if (!chosen) return;
    const body = new FormData();
    body.set('realName', v.realName.trim());
    body.set('idNumber', v.idNumber.trim());
    body.set('newPhone', v.newPhone.trim());
    body.set('note', v.note?.trim() ?? '');
    body.set('photo', chosen, chosen.name);
    setBusy(true);
    try {
      await api.post<{ id: string }>('/api/manual-recoveries', body);
      setDone(true);
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <AuthPanel title="人工找回">
        <Result
          status="success"
          title="提交成功"
          subTitle="已提交，工作人员将在3个工作日内处理。审核通过后，新手机号即可用于登录和找回密码"
          extra={
            <Button type="primary" size="large" onClick={() => navigate('/login')}>
              返回登录
            </Button>
          }
        />
      </AuthPanel>
    );

  return (
    <AuthPanel
      title="人工找回"
      subtitle="未绑定手机号或原手机号已停用时，可提交人工找回申请。工作人员核实身份后，将把新手机号绑定到您的账号，之后即可通过手机找回密码。"
    >
      <Form form={form} name="recovery" {...FORM_LAYOUT} size="large" className="cpe-form" onFinish={onFinish}>
        <Form.Item label="用户姓名" name="realName" rules={[zodRule(zRealName)]}>
          <Input placeholder="请输入您的真实姓名" maxLength={30} autoComplete="name" />
        </Form.Item>
        <Form.Item label="身份证号码" name="idNumber" rules={[zodRule(zIdNumber)]}>
          <Input placeholder="请输入您的身份证号码" maxLength={18} spellCheck={false} />
        </Form.Item>
        <Form.Item label="新手机号" name="newPhone" rules={[zodRule(zPhone)]}>
          <Input placeholder="请输入新的手机号码" maxLength={20} inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <Form.Item label="补充说明" name="note" rules={[{ max: 500, message: '补充说明不能超过500字' }]}>
          <Input.TextArea
            placeholder="选填，如原手机号、注册时间等有助于核实身份的信息"
            maxLength={500}
            showCount
            autoSize={{ minRows: 3, maxRows: 6 }}
          />
        </Form.Item>
        <DocumentPhotoField
          form={form}
          label="身份证照片"
          extra="请上传身份证人像面照片，支持格式：JPG、PNG，大小不超过5M"
        />
        <Form.Item {...TAIL_LAYOUT}>
          <Alert type="info" showIcon title="您提交的身份证照片仅用于本次身份核实，工作人员查看时将记录审计日志。" />
        </Form.Item>
        <Form.Item {...TAIL_LAYOUT}>
          <Button type="primary" htmlType="submit" size="large" block loading={busy}>
            提交
          </Button>
        </Form.Item>
      </Form>
    </AuthPanel>
  );
}
