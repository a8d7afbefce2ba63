import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { FieldDef, TAttachment } from '@cpe/shared/applications/index';
import { App, Button, Upload } from 'antd';
import { useRef, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { attachmentUrl, uploadAttachment } from '../api';
import type { FieldControlProps } from './controls';

const MAX_BYTES = 10 * 1024 * 1024;
/** What the server accepts (it checks the content; this only spares a pointless upload). */
const KINDS = {
  any: {
    accept: '.pdf,.jpg,.jpeg,.png,.docx',
    extensions: new Set(['pdf', 'jpg', 'jpeg', 'png', 'docx']),
    refused: '仅支持PDF、JPG、PNG、DOCX文件',
    button: '上传附件',
    hint: null,
  },
  // 照片 fields (结业上报): JPG and PNG only, checked again by content on upload and by type on save.
  images: {
    accept: '.jpg,.jpeg,.png',
    extensions: new Set(['jpg', 'jpeg', 'png']),
    refused: '仅支持JPG、PNG图片',
    button: '上传照片',
    hint: '仅支持JPG、PNG格式图片，单张不超过10M',
  },
} as const;

export function fileSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}MB`;
  return `${Math.max(1, Math.round(bytes / 1024))}KB`;
}

/**
 * 其他附件: each file is uploaded at once (POST …/attachments) and its {fileId, name, mime, size} kept in the
 * field; saving the section makes the files part of the application, and from then on downloadable.
 */
export function FilesInput({
  field,
  applicationId,
  savedFileIds,
  id,
  value,
  onChange,
  disabled,
}: FieldControlProps<TAttachment[]> & {
  field: FieldDef;
  applicationId: string;
  savedFileIds: ReadonlySet<string>;
}) {
  const { message } = App.useApp();
  const kind = KINDS[field.accept === 'images' ? 'images' : 'any'];
  const files = value ?? [];
  const maxFiles = field.max ?? 10;
  const [uploading, setUploading] = useState(0);
  // Several files may finish at once: each adds itself to the list as it stands then, not as it was.
  const latest = useRef(files);
  latest.current = files;
  const change = (next: TAttachment[]) => {
    latest.current = next;
    onChange?.(next);
  };

  return (
    <div className="cpe-app-files" id={id} tabIndex={-1}>
      {files.length > 0 && (
        <ul className="cpe-app-file-list">
          {files.map((f) => (
            <li key={f.fileId} className="cpe-app-file">
              <PaperClipOutlined className="cpe-muted" />
              {savedFileIds.has(f.fileId) ? (
                <a href={attachmentUrl(applicationId, f.fileId)} download={f.name} className="cpe-app-file-name">
                  {f.name}
                </a>
              ) : (
                <span className="cpe-app-file-name" title="保存后可下载">
                  {f.name}
                </span>
              )}
              <span className="cpe-muted cpe-app-file-size">{fileSize(f.size)}</span>
              <Button
                type="link"
                danger
                size="small"
                icon={<DeleteOutlined />}
                disabled={disabled}
                aria-label={`删除附件${f.name}`}
                onClick={() => change(latest.current.filter((x) => x.fileId !== f.fileId))}
              >
                删除
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Upload
        accept={kind.accept}
        multiple
        showUploadList={false}
        disabled={disabled || files.length >= maxFiles || undefined}
        beforeUpload={(file, batch) => {
          const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
          if (!kind.extensions.has(ext)) {
            message.error(`${file.name}：${kind.refused}`);
            return Upload.LIST_IGNORE;
          }
          if (file.size > MAX_BYTES) {
            message.error(`${file.name}：单个文件不能超过10M`);
            return Upload.LIST_IGNORE;
          }
          if (latest.current.length + batch.indexOf(file) + 1 > maxFiles) {
            message.error(`${field.label}最多${maxFiles}个`);
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError }) => {
          setUploading((n) => n + 1);
          uploadAttachment(applicationId, file as File)
            .then((attachment) => {
              change([...latest.current, attachment]);
              onSuccess?.(attachment);
            })
            .catch((err: unknown) => {
              const e = toApiError(err);
              if (!isUnauthenticated(e)) message.error(`${(file as File).name}：${e.fields?.file ?? e.message}`);
              onError?.(e);
            })
            .finally(() => setUploading((n) => n - 1));
        }}
      >
        <Button icon={<UploadOutlined />} loading={uploading > 0} disabled={disabled || files.length >= maxFiles}>
          {uploading > 0 ? '正在上传…' : kind.button}
        </Button>
      </Upload>
      {kind.hint && (
        <div className="cpe-filing-files-hint">
          {/* The field's own help may already name the formats. */}
          {field.help?.includes('JPG') ? '单张不超过10M' : kind.hint}
        </div>
      )}
      {files.some((f) => !savedFileIds.has(f.fileId)) && (
        <div className="cpe-muted cpe-app-files-note">新上传的附件保存后生效，即可下载查看。</div>
      )}
    </div>
  );
}
