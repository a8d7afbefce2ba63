import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { formatDuration, ZChapterInput } from '@cpe/shared/schemas/courses';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { zodRule } from '../../../shared/form/rules';
import { type Chapter, useSaveChapter } from '../api';

interface QuestionValues {
  id?: string;
  prompt?: string;
  options?: string[];
  answer?: number;
}
interface ChapterFormValues {
  title?: string;
  durationSeconds?: number;
  questions?: QuestionValues[];
}
const SHAPE = ZChapterInput.shape;
const LETTERS = 'ABCDEF';

/**
 * 新增 / 编辑 a chapter and its 防挂机题库 (2–6 options per question, one correct). The duration is set from the
 * uploaded video when there is one; it can be entered for a chapter still waiting for its video.
 */
export function ChapterModal({
  open,
  courseId,
  chapter,
  onClose,
}: {
  open: boolean;
  courseId: string;
  chapter: Chapter | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ChapterFormValues>();
  const [error, setError] = useState<string | null>(null);
  const save = useSaveChapter();
  const seconds = Form.useWatch('durationSeconds', form);

  const submit = async (v: ChapterFormValues) => {
    setError(null);
    try {
      await save.mutateAsync({
        courseId,
        id: chapter?.id ?? null,
        input: {
          title: (v.title ?? '').trim(),
          durationSeconds: v.durationSeconds as number,
          questions: (v.questions ?? []).map((q) => ({
            ...(q.id ? { id: q.id } : {}),
            prompt: (q.prompt ?? '').trim(),
            options: (q.options ?? []).map((o) => (o ?? '').trim()),
            answer: q.answer as number,
          })),
        },
      });
      message.success(chapter ? '章节已保存' : '章节已添加，可以上传视频了');
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      const e = toApiError(err);
      // 'questions.0.options' → ['questions', 0, 'options']: Form.List paths hold numeric indices.
      const fields = Object.entries(e.fields ?? {}).map(([k, msg]) => ({
        name: k.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        errors: [msg],
      }));
      form.setFields(fields as Parameters<typeof form.setFields>[0]);
      setError(e.message);
    }
  };

  return (
    <Modal
      open={open}
      title={chapter ? '编辑章节' : '添加章节'}
      width={720}
      destroyOnHidden
      onCancel={onClose}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      mask={{ closable: false }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<ChapterFormValues>
        form={form}
        name="chapter"
        layout="vertical"
        disabled={save.isPending}
        onFinish={submit}
        initialValues={
          chapter
            ? { title: chapter.title, durationSeconds: chapter.durationSeconds, questions: chapter.questions }
            : { durationSeconds: 1800, questions: [] }
        }
      >
        <Form.Item label="章节名称" name="title" rules={[zodRule(SHAPE.title)]}>
          <Input maxLength={100} showCount placeholder="例：第一讲 数字经济的内涵与特征" />
        </Form.Item>
        <Form.Item
          label="学习时长（秒）"
          name="durationSeconds"
          rules={[zodRule(SHAPE.durationSeconds)]}
          extra={
            chapter?.videoFileId
              ? `已按上传的视频设置；约 ${formatDuration(seconds ?? 0)}`
              : `上传视频后将自动设为视频时长；约 ${formatDuration(seconds ?? 0)}`
          }
        >
          <InputNumber min={1} max={21600} precision={0} suffix="秒" style={{ width: 200 }} />
        </Form.Item>
        <Typography.Title level={5} style={{ marginTop: 4 }}>
          防挂机题库
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          学习过程中随机弹出本章节的题目，答错或超时不计入学时；未设置时使用系统生成的算术题。
        </Typography.Paragraph>
        <Form.List name="questions">
          {(fields, { add, remove }) => (
            <Space direction="vertical" style={{ width: '100%' }}>
              {fields.map((field, qi) => (
                <Card
                  key={field.key}
                  size="small"
                  title={`第 ${qi + 1} 题`}
                  extra={
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={`删除第${qi + 1}题`}
                      onClick={() => remove(field.name)}
                    >
                      删除
                    </Button>
                  }
                >
                  <Form.Item
                    name={[field.name, 'prompt']}
                    label="题目"
                    rules={[{ required: true, whitespace: true, message: '请输入题目' }]}
                  >
                    <Input maxLength={200} placeholder="题目内容" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'answer']}
                    label="选项（选中的为正确答案）"
                    rules={[{ required: true, message: '请选择正确答案' }]}
                  >
                    <Radio.Group style={{ width: '100%' }}>
                      <Form.List name={[field.name, 'options']}>
                        {(opts, { add: addOption, remove: removeOption }, { errors }) => (
                          <Space direction="vertical" style={{ width: '100%' }}>
                            {opts.map((opt, oi) => (
                              <div key={opt.key} className="cpe-question-option">
                                <Radio value={oi} aria-label={`选项${LETTERS[oi]}为正确答案`} />
                                <span className="cpe-question-letter">{LETTERS[oi]}</span>
                                <Form.Item
                                  name={opt.name}
                                  noStyle
                                  rules={[{ required: true, whitespace: true, message: '选项不能为空' }]}
                                >
                                  <Input maxLength={100} placeholder={`选项${LETTERS[oi]}`} />
                                </Form.Item>
                                <Button
                                  type="text"
                                  size="small"
                                  icon={<DeleteOutlined />}
                                  aria-label={`删除选项${LETTERS[oi]}`}
                                  disabled={opts.length <= 2}
                                  onClick={() => removeOption(opt.name)}
                                />
                              </div>
                            ))}
                            {opts.length < 6 && (
                              <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => addOption('')}>
                                添加选项
                              </Button>
                            )}
                            <Form.ErrorList errors={errors} />
                          </Space>
                        )}
                      </Form.List>
                    </Radio.Group>
                  </Form.Item>
                </Card>
              ))}
              <Button
                type="dashed"
                block
                icon={<PlusOutlined />}
                onClick={() => add({ prompt: '', options: ['', ''], answer: 0 })}
              >
                添加题目
              </Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
