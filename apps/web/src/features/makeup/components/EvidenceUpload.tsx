import { CloseOutlined, LoadingOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Upload } from 'antd';
import { useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { uploadMakeupFile } from '../api';
import type { MakeupFile } from '../types';

const MAX_BYTES = 5 * 1024 * 1024;
const ACCEPT = '.jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf';

/**
 * One evidence file (缴费截图, 承诺书扫描件) as a form control: checked here (JPG/PNG/PDF ≤5M), uploaded at
 * once, the value is the server's {id, name, mime, size}.
 */
export function EvidenceUpload({
  value,
  onChange,
  label = '上传',
  id,
}: {
  value?: MakeupFile | null;
  onChange?: (v: MakeupFile | null) => void;
  label?: string;
  id?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const send = async (file: File) => {
    setError(null);
    if (!/\.(jpe?g|png|pdf)$/i.test(file.name)) {
      setError('仅支持JPG、PNG或PDF文件');
      return;
    }
    if (file.size > MAX_BYTES) {
      setError('文件大小不能超过5M');
      return;
    }
    setBusy(true);
    try {
      onChange?.(await uploadMakeupFile(file));
    } catch (err) {
      const e = toApiError(err);
      setError(e.fields?.file ?? e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cpe-mk-upload" id={id}>
      {value ? (
        <span className="cpe-mk-upload-file" title={value.name}>
          <PaperClipOutlined /> <span className="cpe-mk-upload-name">{value.name}</span>
          <Button
            type="text"
            size="small"
            aria-label={`移除 ${value.name}`}
            icon={<CloseOutlined />}
            onClick={() => onChange?.(null)}
          />
        </span>
      ) : (
        <Upload
          accept={ACCEPT}
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
        >
          <Button size="small" icon={busy ? <LoadingOutlined /> : <UploadOutlined />} disabled={busy}>
            {busy ? '上传中…' : label}
          </Button>
        </Upload>
      )}
      {error && (
        <div className="cpe-mk-upload-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
