import { DeleteOutlined, FilePdfOutlined, PictureOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';
import { useRef, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { myCreditFileUrl, type TUploadedFile, uploadCreditFile } from './api';

export const EVIDENCE_MAX_FILES = 9;
const MAX_BYTES = 10 * 1024 * 1024;
const EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'pdf']);

/** A file of the control: what the upload answered, or an earlier claim's evidence (no size). */
export type EvidenceFile = Pick<TUploadedFile, 'id' | 'mime'> & { name: string | null; size?: number };

/**
 * 证明材料 of a 学时登记 as a form control: 1–9 JPG/PNG/PDF files (≤10M each, checked again by content on the
 * server), each uploaded as soon as it is chosen; the value is the list of stored files, each openable in a new tab.
 * (The 补学 control holds one file and the 申报 one is bound to an application: neither fits a claim's list.)
 */
export function EvidenceFilesInput({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: EvidenceFile[];
  onChange?: (v: EvidenceFile[]) => void;
}) {
  const { message } = App.useApp();
  const files = value ?? [];
  const [uploading, setUploading] = useState(0);
  // Several files may finish at once: each adds itself to the list as it stands then, not as it was.
  const latest = useRef(files);
  latest.current = files;
  const change = (next: EvidenceFile[]) => {
    latest.current = next;
    onChange?.(next);
  };
  const full = files.length >= EVIDENCE_MAX_FILES;

  return (
    <div className="cpe-credit-files" id={id} tabIndex={-1}>
      {files.length > 0 && (
        <ul className="cpe-credit-file-list">
          {files.map((f, i) => (
            <li key={f.id} className="cpe-credit-file">
              {f.mime === 'application/pdf' ? <FilePdfOutlined /> : <PictureOutlined />}
              <a
                href={myCreditFileUrl(f.id)}
                target="_blank"
                rel="noopener noreferrer"
                className="cpe-credit-file-name"
                title={f.name ?? undefined}
              >
                {f.name || `证明材料${i + 1}`}
              </a>
              <Button
                type="link"
                danger
                size="small"
                icon={<DeleteOutlined />}
                aria-label={`删除${f.name || `证明材料${i + 1}`}`}
                onClick={() => change(latest.current.filter((x) => x.id !== f.id))}
              >
                删除
              </Button>
            </li>
          ))}
        </ul>
      )}
      <Upload
        accept=".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
        multiple
        showUploadList={false}
        disabled={full || undefined}
        beforeUpload={(file, batch) => {
          const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
          if (!EXTENSIONS.has(ext)) {
            message.error(`${file.name}：仅支持JPG、PNG或PDF文件`);
            return Upload.LIST_IGNORE;
          }
          if (file.size > MAX_BYTES) {
            message.error(`${file.name}：单个文件不能超过10M`);
            return Upload.LIST_IGNORE;
          }
          if (latest.current.length + batch.indexOf(file) + 1 > EVIDENCE_MAX_FILES) {
            message.error(`证明材料最多${EVIDENCE_MAX_FILES}份`);
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError }) => {
          setUploading((n) => n + 1);
          uploadCreditFile(file as File)
            .then((stored) => {
              change([...latest.current, stored]);
              onSuccess?.(stored);
            })
            .catch((err: unknown) => {
              const e = toApiError(err);
              if (!isUnauthenticated(e)) message.error(`${(file as File).name}：${e.fields?.file ?? e.message}`);
              onError?.(e);
            })
            .finally(() => setUploading((n) => n - 1));
        }}
      >
        <Button icon={<UploadOutlined />} loading={uploading > 0} disabled={full}>
          {uploading > 0 ? '正在上传…' : '上传证明材料'}
        </Button>
      </Upload>
      <div className="cpe-credit-files-hint">
        证书、通知、会议日程或现场照片等，JPG、PNG或PDF，每份不超过10M，最多{EVIDENCE_MAX_FILES}份
      </div>
    </div>
  );
}
