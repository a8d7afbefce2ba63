import { DeleteOutlined, DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { TRAINEES_MAX_LINES, type TTraineeLineError } from '@cpe/shared/schemas/seminars';
import { Alert, App, Button, Input, Popconfirm, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { downloadFile } from '../../shared/api/download';
import {
  downloadTraineeErrors,
  invalidLines,
  type TraineesInput,
  traineesTemplateUrl,
  useClearTrainees,
  useSaveTrainees,
} from './api';
import { TraineeListView } from './TraineeListView';

const PLACEHOLDER =
  '从Excel复制后粘贴，每行一名学员，依次为：姓名、身份证号码（港澳台居民、外籍人员可填写居住证或永久居留身份证号码）、工作单位、职称/职务、手机号码、出勤天数、研修成果（合格/不合格）\n' +
  '例：张三\t500103199001011234\t重庆大学\t教授\t13800138000\t5\t合格';

/**
 * 学员名单 of a 结业上报: 下载模板, 上传Excel, or paste from Excel into the box and 校验并保存. Every line is checked
 * on the server; when one is wrong nothing is saved and each bad line is listed with its reason, with
 * 下载错误文件 (the bad lines and 错误原因, to correct and upload again). Below, the saved list with 清空.
 * `editable` false shows the saved list only (a submitted report).
 */
export function TraineeListEditor({ applicationId, editable }: { applicationId: string; editable: boolean }) {
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<{ lines: TTraineeLineError[]; message: string; input: TraineesInput } | null>(
    null,
  );
  const [downloading, setDownloading] = useState(false);
  const save = useSaveTrainees(applicationId);
  const clear = useClearTrainees(applicationId);
  const fetchUrl = `/api/applications/${encodeURIComponent(applicationId)}/trainees`;

  const submit = async (input: TraineesInput) => {
    setErrors(null);
    try {
      const saved = await save.mutateAsync(input);
      message.success(`学员名单已保存：共${saved.total}人，合格${saved.passed}人`);
      if ('text' in input) setText('');
    } catch (err) {
      if (isUnauthenticated(err)) return;
      const lines = invalidLines(err);
      if (lines) setErrors({ lines, message: toApiError(err).message, input });
      else message.error(toApiError(err).message);
    }
  };

  const downloadErrors = async () => {
    if (!errors) return;
    setDownloading(true);
    try {
      await downloadTraineeErrors(applicationId, errors.input);
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setDownloading(false);
    }
  };

  return (
    <div className="cpe-trainee-editor">
      {editable && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            <Button
              icon={<DownloadOutlined />}
              onClick={() =>
                downloadFile(traineesTemplateUrl(applicationId), '学员名单模板.xlsx').catch((err) => {
                  if (!isUnauthenticated(err)) message.error(toApiError(err).message);
                })
              }
            >
              下载模板
            </Button>
            <Upload
              accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              showUploadList={false}
              maxCount={1}
              beforeUpload={(file) => {
                if (file.size > 5 * 1024 * 1024) message.error('文件大小不能超过5M');
                else void submit({ file });
                return false;
              }}
            >
              <Button icon={<UploadOutlined />} loading={save.isPending && !text}>
                上传Excel
              </Button>
            </Upload>
            <Typography.Text type="secondary">
              每份名单最多{TRAINEES_MAX_LINES}人；上传或保存后将替换已保存的名单
            </Typography.Text>
          </Space>
          <Input.TextArea
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={PLACEHOLDER}
            autoSize={{ minRows: 5, maxRows: 14 }}
            aria-label="粘贴学员名单"
            style={{ fontFamily: 'monospace' }}
          />
          <Space style={{ margin: '12px 0' }}>
            <Button
              type="primary"
              icon={<FileExcelOutlined />}
              disabled={!text.trim()}
              loading={save.isPending && Boolean(text)}
              onClick={() => submit({ text })}
            >
              校验并保存
            </Button>
          </Space>
          {errors && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={errors.message}
              description={
                <>
                  <Table<TTraineeLineError>
                    rowKey={(r) => `${r.line}`}
                    size="small"
                    dataSource={errors.lines}
                    pagination={errors.lines.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
                    columns={[
                      { title: '行号', dataIndex: 'line', width: 70, render: (v: number) => `第${v}行` },
                      { title: '姓名', dataIndex: 'name', width: 100, render: (v: string) => v || '—' },
                      { title: '错误原因', dataIndex: 'reason' },
                    ]}
                  />
                  <Button
                    style={{ marginTop: 8 }}
                    icon={<DownloadOutlined />}
                    loading={downloading}
                    onClick={downloadErrors}
                  >
                    下载错误文件
                  </Button>
                </>
              }
            />
          )}
        </>
      )}
      <TraineeListView
        fetchUrl={fetchUrl}
        extra={
          editable && (
            <Popconfirm
              title="清空学员名单"
              description="确定清空已保存的学员名单吗？清空后需重新上传或粘贴。"
              okText="清空"
              cancelText="取消"
              okButtonProps={{ danger: true, loading: clear.isPending }}
              onConfirm={async () => {
                try {
                  await clear.mutateAsync();
                  message.success('学员名单已清空');
                } catch (err) {
                  if (!isUnauthenticated(err)) message.error(toApiError(err).message);
                }
              }}
            >
              <Button danger icon={<DeleteOutlined />}>
                清空
              </Button>
            </Popconfirm>
          )
        }
      />
    </div>
  );
}
