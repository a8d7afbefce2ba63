import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DEFAULT_HELP_CONTACT, HOTLINE_PHONE_RE, type THelpContact } from '@cpe/shared/schemas/help';
import { Alert, App, Breadcrumb, Button, Col, Form, Input, Result, Row, Skeleton } from 'antd';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { errorCode, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useHotlines, useSaveHotlines } from '../api';
import '../help-admin.css';

/** 咨询热线 (console /help-hotlines): the 咨询方式 shown on the portal's page and side panel. */
export function HotlinesPage() {
  const site = useSite().data;
  usePageTitle('咨询热线', site?.staffConsoleName);
  const current = useHotlines();
  const save = useSaveHotlines();
  const [form] = Form.useForm<THelpContact>();
  const showError = useShowApiError();
  const { message, modal } = App.useApp();

  useEffect(() => {
    if (current.data) form.setFieldsValue(current.data);
  }, [current.data, form]);

  if (current.isError) {
    const code = errorCode(current.error);
    return (
      <div className="cpe-console-page">
        <Result
          status={code === 'FORBIDDEN' ? '403' : 'error'}
          title={code === 'FORBIDDEN' ? '没有权限' : '加载失败'}
          subTitle={toApiError(current.error).message}
          extra={code !== 'FORBIDDEN' && <Button onClick={() => current.refetch()}>重试</Button>}
        />
      </div>
    );
  }

  const onReset = () =>
    modal.confirm({
      title: '恢复默认咨询方式？',
      content: '表单将填入平台默认的咨询热线（使用手册所列），点击“保存”后生效。',
      okText: '填入默认值',
      cancelText: '取消',
      onOk: () => form.setFieldsValue(DEFAULT_HELP_CONTACT),
    });

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '咨询服务' }, { title: '咨询热线' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16, maxWidth: 960 }}>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="保存后，门户“咨询方式”页面和页面侧边栏立即显示新的咨询热线。电话支持 400/800 号码、固定电话（区号-号码-分机）和手机号码。"
        />
        {current.isPending ? (
          <Skeleton active />
        ) : (
          <Form<THelpContact>
            form={form}
            name="hotlines"
            layout="vertical"
            onFinish={(v) =>
              save.mutate(v, {
                onSuccess: () => message.success('咨询热线已保存'),
                onError: (err) => showError(err, form),
              })
            }
          >
            <Form.List
              name="hotlines"
              rules={[
                {
                  validator: async (_r, v?: unknown[]) => {
                    if (!v || v.length === 0) throw new Error('至少保留一条咨询热线');
                  },
                },
              ]}
            >
              {(fields, { add, remove }, { errors }) => (
                <>
                  {fields.map((f, i) => (
                    <section className="cpe-ha-hotline" key={f.key} aria-label={`咨询热线${i + 1}`}>
                      <div className="cpe-ha-hotline-head">
                        <span>咨询热线 {i + 1}</span>
                        <Button
                          type="text"
                          size="small"
                          danger
                          icon={<DeleteOutlined />}
                          disabled={fields.length <= 1}
                          onClick={() => remove(f.name)}
                          aria-label={`删除咨询热线${i + 1}`}
                        >
                          删除
                        </Button>
                      </div>
                      <Row gutter={16}>
                        <Col xs={24} md={12}>
                          <Form.Item
                            label="咨询类别"
                            name={[f.name, 'topic']}
                            rules={[
                              { required: true, whitespace: true, message: '请填写咨询类别' },
                              { min: 2, max: 40, message: '咨询类别为2—40个字' },
                            ]}
                          >
                            <Input maxLength={40} placeholder="如：账号注册、登录、证书问题咨询" />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={12}>
                          <Form.Item
                            label="电话号码"
                            name={[f.name, 'phone']}
                            rules={[
                              { required: true, whitespace: true, message: '请填写电话号码' },
                              {
                                pattern: HOTLINE_PHONE_RE,
                                message: '电话号码格式不正确（如 400-023-9229、023-12345678）',
                              },
                            ]}
                          >
                            <Input maxLength={20} placeholder="400-023-9229" />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={12}>
                          <Form.Item label="按键提示" name={[f.name, 'hint']}>
                            <Input maxLength={60} placeholder="如：按1选择登录注册问题" />
                          </Form.Item>
                        </Col>
                        <Col xs={24} md={12}>
                          <Form.Item label="服务时间" name={[f.name, 'hours']}>
                            <Input maxLength={60} placeholder="如：工作日 9:00—17:30" />
                          </Form.Item>
                        </Col>
                      </Row>
                    </section>
                  ))}
                  <Form.ErrorList errors={errors} />
                  <Button
                    type="dashed"
                    icon={<PlusOutlined />}
                    disabled={fields.length >= 10}
                    onClick={() => add({ topic: '', phone: '', hint: '', hours: '' })}
                    style={{ marginBottom: 16 }}
                  >
                    添加咨询热线
                  </Button>
                </>
              )}
            </Form.List>
            <Form.Item
              label="在线客服说明"
              name="onlineService"
              rules={[{ required: true, whitespace: true, message: '请填写在线客服说明' }]}
            >
              <Input.TextArea maxLength={200} showCount autoSize={{ minRows: 2, maxRows: 4 }} />
            </Form.Item>
            <div style={{ display: 'flex', gap: 8 }}>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                保存
              </Button>
              <Button onClick={onReset}>恢复默认</Button>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
