import { CloseOutlined, LoadingOutlined, PictureOutlined } from '@ant-design/icons';
import { TICKET_MAX_FILES, TICKET_SCREENSHOT_MAX_BYTES } from '@cpe/shared/schemas/help';
import { Button, Image } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import type { UploadedFile } from '../api';

export interface Screenshot extends UploadedFile {
  /** A local preview of the chosen file (the server shows it only once it is on a message). */
  preview: string;
}

/**
 * Up to 3 screenshots as a form control: each JPG/PNG (≤ 5M) is checked here, stored at once by `upload`, shown
 * as a thumbnail that opens large, and removable. The value is the list of stored files.
 */
export function ScreenshotUpload({
  value = [],
  onChange,
  upload,
  id,
}: {
  value?: Screenshot[];
  onChange?: (v: Screenshot[]) => void;
  upload: (file: File) => Promise<UploadedFile>;
  id?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(value);
  latest.current = value;
  // Object URLs live as long as the control: released when it goes away.
  useEffect(
    () => () => {
      for (const s of latest.current) URL.revokeObjectURL(s.preview);
    },
    [],
  );

  const add = async (files: FileList | null) => {
    setError(null);
    const chosen = Array.from(files ?? []);
    if (chosen.length === 0) return;
    const room = TICKET_MAX_FILES - value.length;
    if (chosen.length > room) {
      setError(`截图最多${TICKET_MAX_FILES}张`);
      return;
    }
    for (const f of chosen) {
      if (!/\.(jpe?g|png)$/i.test(f.name) && !/^image\/(jpeg|png)$/.test(f.type)) {
        setError('仅支持JPG、PNG格式的截图');
        return;
      }
      if (f.size > TICKET_SCREENSHOT_MAX_BYTES) {
        setError('截图大小不能超过5M');
        return;
      }
    }
    setBusy(true);
    let next = value;
    try {
      for (const f of chosen) {
        const stored = await upload(f);
        next = [...next, { ...stored, name: stored.name ?? f.name, preview: URL.createObjectURL(f) }];
        onChange?.(next);
      }
    } catch (err) {
      const e = toApiError(err);
      setError(e.fields?.file ?? e.message);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const remove = (s: Screenshot) => {
    URL.revokeObjectURL(s.preview);
    onChange?.(value.filter((x) => x.id !== s.id));
  };

  return (
    <div className="cpe-help-shots" id={id}>
      <Image.PreviewGroup>
        {value.map((s) => (
          <div className="cpe-help-shot" key={s.id}>
            <Image src={s.preview} alt={s.name ?? '截图'} width={88} height={88} style={{ objectFit: 'cover' }} />
            <Button
              className="cpe-help-shot-remove"
              size="small"
              shape="circle"
              danger
              icon={<CloseOutlined />}
              aria-label={`移除截图 ${s.name ?? ''}`}
              onClick={() => remove(s)}
            />
          </div>
        ))}
      </Image.PreviewGroup>
      {value.length < TICKET_MAX_FILES && (
        <label className={`cpe-help-shot-add${busy ? ' is-busy' : ''}`}>
          <input
            ref={input}
            type="file"
            accept=".jpg,.jpeg,.png,image/jpeg,image/png"
            multiple
            disabled={busy}
            className="cpe-help-sr"
            aria-label="添加截图"
            onChange={(e) => void add(e.target.files)}
          />
          {busy ? <LoadingOutlined /> : <PictureOutlined />}
          <span>{busy ? '上传中…' : '添加截图'}</span>
        </label>
      )}
      <div className="cpe-help-shots-hint">JPG或PNG，每张不超过5M，最多{TICKET_MAX_FILES}张</div>
      {error && (
        <div className="cpe-help-shots-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
