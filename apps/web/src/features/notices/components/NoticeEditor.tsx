import {
  BoldOutlined,
  DeleteOutlined,
  FileImageOutlined,
  LinkOutlined,
  OrderedListOutlined,
  PaperClipOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { renderNoticeMarkdown } from '@cpe/shared/notice-markdown';
import {
  NOTICE_ATTACHMENTS_MAX,
  NOTICE_AUDIENCE_LABELS,
  NOTICE_AUDIENCES,
  NOTICE_BODY_MAX,
  NOTICE_TITLE_MAX,
  type TNoticeAdmin,
  type TNoticeAudience,
  type TNoticeInput,
} from '@cpe/shared/schemas/notices';
import { App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Switch, Tabs, Tooltip, Upload } from 'antd';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import type { Dayjs } from 'dayjs';
import { useRef, useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { fromPlatformPicker, toPlatformPicker } from '../../../shared/platform-time';
import { useOrgNodes } from '../../units/api';
import { adminNoticeImageUrl, type NoticeUpload, uploadNoticeFile, usePublishNotice, useSaveNotice } from '../api';
import { formatSize } from './format-size';

interface FormValues {
  title: string;
  body: string;
  audience: TNoticeAudience;
  districtCode?: string;
  pinned: boolean;
  publishAt: Dayjs;
  withdrawAt?: Dayjs | null;
}

const IMAGE_TYPES = ['image/jpeg', 'image/png'];

/** The body's source with a live preview: the same renderer the server uses for the portal. */
export function NoticeBodyPreview({ source }: { source: string }) {
  // Safe by construction: renderNoticeMarkdown escapes every character and writes only its allow-listed tags.
  const html = renderNoticeMarkdown(source, adminNoticeImageUrl);
  return (
    <div
      className="cpe-notice-body"
      // biome-ignore lint/security/noDangerouslySetInnerHtml: output of the allow-list renderer, never raw input
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

/**
 * 新增 / 编辑通知公告: title, body (a small Markdown subset with a toolbar and picture upload), attachments,
 * audience (a 区县人社局 only its own district), 置顶, 发布时间 and 撤回时间 in the platform's time.
 */
export function NoticeEditor({
  notice,
  open,
  scope,
  onClose,
}: {
  notice: TNoticeAdmin | null;
  open: boolean;
  scope: { districtCode: string; districtName: string } | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const save = useSaveNotice();
  const publish = usePublishNotice();
  const showError = useShowApiError();
  const { message, modal } = App.useApp();
  const [attachments, setAttachments] = useState<NoticeUpload[]>([]);
  const [uploading, setUploading] = useState(false);
  const [tab, setTab] = useState('write');
  const bodyRef = useRef<TextAreaRef>(null);
  const body = Form.useWatch('body', form) ?? '';
  const audience = Form.useWatch('audience', form);
  const districts = (useOrgNodes().data?.items ?? []).filter((n) => n.kind === 'district' && n.areaCode);
  const editable = !notice || notice.status === 'draft';

  /** Wraps the selection (or inserts at the cursor) in the body's source. */
  function insert(before: string, after = '', placeholder = '') {
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const text: string = form.getFieldValue('body') ?? '';
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const selected = text.slice(start, end) || placeholder;
    const next = `${text.slice(0, start)}${before}${selected}${after}${text.slice(end)}`;
    form.setFieldValue('body', next);
    void form.validateFields(['body']).catch(() => {});
    requestAnimationFrame(() => {
      el?.focus();
      const at = start + before.length;
      el?.setSelectionRange(at, at + selected.length);
    });
  }
  const linePrefix = (prefix: string, placeholder: string) => {
    const text: string = form.getFieldValue('body') ?? '';
    const el = bodyRef.current?.resizableTextArea?.textArea;
    const start = el?.selectionStart ?? text.length;
    insert(start > 0 && text[start - 1] !== '\n' ? `\n${prefix}` : prefix, '', placeholder);
  };

  async function upload(kind: 'image' | 'attachment', file: File) {
    setUploading(true);
    try {
      const stored = await uploadNoticeFile(kind, file);
      if (kind === 'image') insert(`\n![${stored.name.replace(/[[\]\n]/g, '').slice(0, 50)}](image:${stored.id})\n`);
      else setAttachments((a) => [...a, stored]);
    } catch (err) {
      message.error(toApiError(err).fields?.file ?? toApiError(err).message);
    } finally {
      setUploading(false);
    }
  }

  function values(v: FormValues): TNoticeInput {
    return {
      title: v.title.trim(),
      body: v.body,
      audience: scope ? 'district' : v.audience,
      districtCode: scope ? scope.districtCode : v.audience === 'district' ? (v.districtCode ?? null) : null,
      pinned: v.pinned,
      publishAt: fromPlatformPicker(v.publishAt),
      withdrawAt: v.withdrawAt ? fromPlatformPicker(v.withdrawAt) : null,
      attachmentIds: attachments.map((a) => a.id),
    };
  }

  function submit(andPublish: boolean) {
    form
      .validateFields()
      .then((v) => {
        const run = () =>
          save.mutate(
            { id: notice?.id, input: values(v) },
            {
              onSuccess: (saved) => {
                if (!andPublish) {
                  message.success('已保存');
                  onClose();
                  return;
                }
                publish.mutate(saved.id, {
                  onSuccess: (p) => {
                    message.success(p.status === 'scheduled' ? '已设置定时发布' : '已发布');
                    onClose();
                  },
                  onError: (err) => showError(err, form),
                });
              },
              onError: (err) => showError(err, form),
            },
          );
        if (andPublish)
          modal.confirm({
            title: '确认发布该通知公告？',
            content: '发布后将按发布范围在门户显示（发布时间未到则到时显示）。',
            okText: '发布',
            cancelText: '取消',
            onOk: run,
          });
        else run();
      })
      .catch(() => {});
  }

  return (
    <Modal
      open={open}
      title={notice ? '编辑通知公告' : '新增通知公告'}
      width={880}
      destroyOnHidden
      onCancel={onClose}
      afterOpenChange={(o) => {
        if (!o) return;
        setTab('write');
        setAttachments(notice?.attachments.map((a) => ({ ...a })) ?? []);
        form.setFieldsValue(
          notice
            ? {
                title: notice.title,
                body: notice.body,
                audience: notice.audience,
                districtCode: notice.districtCode ?? undefined,
                pinned: notice.pinned,
                publishAt: toPlatformPicker(notice.publishAt),
                withdrawAt: notice.withdrawAt ? toPlatformPicker(notice.withdrawAt) : null,
              }
            : {
                title: '',
                body: '',
                audience: scope ? 'district' : 'all',
                districtCode: scope?.districtCode,
                pinned: false,
                publishAt: toPlatformPicker(new Date()),
                withdrawAt: null,
              },
        );
      }}
      footer={
        <Space wrap>
          <Button onClick={onClose}>取消</Button>
          <Button onClick={() => submit(false)} loading={save.isPending && !publish.isPending} disabled={uploading}>
            {editable ? '保存草稿' : '保存'}
          </Button>
          {editable && (
            <Button type="primary" onClick={() => submit(true)} loading={publish.isPending} disabled={uploading}>
              保存并发布
            </Button>
          )}
        </Space>
      }
    >
      <Form<FormValues> form={form} layout="vertical" name="notice" preserve={false} requiredMark>
        <Form.Item
          label="标题"
          name="title"
          rules={[
            { required: true, whitespace: true, message: '请填写标题' },
            { max: NOTICE_TITLE_MAX, message: `标题最多${NOTICE_TITLE_MAX}个字` },
          ]}
        >
          <Input maxLength={NOTICE_TITLE_MAX} showCount placeholder="如：关于开展2026年度公需科目学习的通知" />
        </Form.Item>
        <Form.Item label="正文" required style={{ marginBottom: 8 }}>
          <Tabs
            activeKey={tab}
            onChange={setTab}
            size="small"
            items={[
              {
                key: 'write',
                label: '编辑',
                children: (
                  <>
                    <Space wrap size={4} className="cpe-notice-toolbar">
                      <Tooltip title="加粗">
                        <Button
                          size="small"
                          icon={<BoldOutlined />}
                          aria-label="加粗"
                          onClick={() => insert('**', '**', '加粗文字')}
                        />
                      </Tooltip>
                      <Button size="small" onClick={() => linePrefix('## ', '小标题')}>
                        小标题
                      </Button>
                      <Tooltip title="无序列表">
                        <Button
                          size="small"
                          icon={<UnorderedListOutlined />}
                          aria-label="无序列表"
                          onClick={() => linePrefix('- ', '列表项')}
                        />
                      </Tooltip>
                      <Tooltip title="有序列表">
                        <Button
                          size="small"
                          icon={<OrderedListOutlined />}
                          aria-label="有序列表"
                          onClick={() => linePrefix('1. ', '列表项')}
                        />
                      </Tooltip>
                      <Tooltip title="链接（仅限 http、https 网址）">
                        <Button
                          size="small"
                          icon={<LinkOutlined />}
                          aria-label="链接"
                          onClick={() => insert('[', '](https://)', '链接文字')}
                        />
                      </Tooltip>
                      <Upload
                        accept=".jpg,.jpeg,.png"
                        showUploadList={false}
                        beforeUpload={(f) => {
                          if (!IMAGE_TYPES.includes(f.type)) {
                            message.error('图片仅支持JPG、PNG格式');
                            return Upload.LIST_IGNORE;
                          }
                          void upload('image', f);
                          return false;
                        }}
                      >
                        <Button size="small" icon={<FileImageOutlined />} loading={uploading}>
                          插入图片
                        </Button>
                      </Upload>
                    </Space>
                    <Form.Item
                      name="body"
                      noStyle
                      rules={[
                        { required: true, whitespace: true, message: '请填写正文' },
                        { max: NOTICE_BODY_MAX, message: `正文最多${NOTICE_BODY_MAX}个字` },
                      ]}
                    >
                      <Input.TextArea
                        ref={bodyRef}
                        aria-label="正文"
                        autoSize={{ minRows: 8, maxRows: 18 }}
                        maxLength={NOTICE_BODY_MAX}
                        placeholder={'正文。空一行分段；“## ”开头为小标题，“- ”开头为列表，**加粗**。'}
                      />
                    </Form.Item>
                  </>
                ),
              },
              {
                key: 'preview',
                label: '预览',
                children: body.trim() ? (
                  <NoticeBodyPreview source={body} />
                ) : (
                  <p className="cpe-notice-muted">暂无正文</p>
                ),
              },
            ]}
          />
        </Form.Item>
        <Form.Item label={`附件（PDF、Word、Excel、ZIP、图片，单个不超过20M，最多${NOTICE_ATTACHMENTS_MAX}个）`}>
          <ul className="cpe-notice-attachments">
            {attachments.map((a) => (
              <li key={a.id}>
                <PaperClipOutlined /> <span>{a.name}</span>{' '}
                <span className="cpe-notice-muted">{formatSize(a.size)}</span>
                <Button
                  type="link"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`移除附件 ${a.name}`}
                  onClick={() => setAttachments((list) => list.filter((x) => x.id !== a.id))}
                />
              </li>
            ))}
          </ul>
          <Upload
            showUploadList={false}
            accept=".pdf,.doc,.docx,.xls,.xlsx,.zip,.jpg,.jpeg,.png"
            disabled={attachments.length >= NOTICE_ATTACHMENTS_MAX}
            beforeUpload={(f) => {
              void upload('attachment', f);
              return false;
            }}
          >
            <Button
              icon={<PaperClipOutlined />}
              loading={uploading}
              disabled={attachments.length >= NOTICE_ATTACHMENTS_MAX}
            >
              上传附件
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item label="发布范围" name="audience" rules={[{ required: true, message: '请选择发布范围' }]}>
          <Radio.Group
            disabled={!!scope}
            options={NOTICE_AUDIENCES.map((a) => ({ value: a, label: NOTICE_AUDIENCE_LABELS[a] }))}
          />
        </Form.Item>
        {(scope || audience === 'district') && (
          <Form.Item label="所属区县" name="districtCode" rules={[{ required: true, message: '请选择所属区县' }]}>
            <Select
              disabled={!!scope}
              showSearch
              optionFilterProp="label"
              placeholder="请选择区县"
              options={
                scope
                  ? [{ value: scope.districtCode, label: scope.districtName }]
                  : districts.map((d) => ({ value: d.areaCode as string, label: d.name }))
              }
            />
          </Form.Item>
        )}
        <Space size="large" wrap align="start">
          <Form.Item label="置顶" name="pinned" valuePropName="checked">
            <Switch checkedChildren="置顶" unCheckedChildren="不置顶" />
          </Form.Item>
          <Form.Item label="发布时间" name="publishAt" rules={[{ required: true, message: '请选择发布时间' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" allowClear={false} />
          </Form.Item>
          <Form.Item
            label="撤回时间（选填）"
            name="withdrawAt"
            dependencies={['publishAt']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_r, v: Dayjs | null) => {
                  const from: Dayjs | undefined = getFieldValue('publishAt');
                  return !v || !from || v.isAfter(from)
                    ? Promise.resolve()
                    : Promise.reject(new Error('撤回时间须晚于发布时间'));
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" placeholder="不自动撤回" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
