import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Image, Upload } from 'antd';
import { type ReactNode, useState } from 'react';
import { isUnauthenticated, toApiError } from '../api/client';

const MAX_BYTES = 5 * 1024 * 1024;
const MIMES = ['image/jpeg', 'image/png'];

/** Some systems report no type: the extension decides then (the server checks the content anyway). */
function isJpegOrPng(file: File): boolean {
  if (file.type) return MIMES.includes(file.type);
  return /\.(jpe?g|png)$/i.test(file.name);
}

/**
 * An image (JPG/PNG, ≤ 5M) as a form field holding the uploaded file's id (or null): uploads at once, then shows the
 * re-encoded image the server keeps (click to enlarge) with 重新上传 and 移除. Plan covers and course covers use it.
 */
export function ImageUpload({
  id,
  value,
  onChange,
  upload,
  srcOf,
  className,
  alt,
  empty,
  hint,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  upload: (file: File) => Promise<{ id: string }>;
  srcOf: (id: string) => string;
  /** Prefix of the classes: `${className}`, `-image`, `-actions`. */
  className: string;
  alt: string;
  /** Shown in place of the image while there is none. */
  empty?: ReactNode;
  hint?: ReactNode;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);

  return (
    <div className={className} id={id}>
      {value ? <Image className={`${className}-image`} src={srcOf(value)} alt={alt} width={240} /> : empty}
      <div className={`${className}-actions`}>
        <Upload
          accept=".jpg,.jpeg,.png,image/jpeg,image/png"
          showUploadList={false}
          maxCount={1}
          disabled={uploading}
          beforeUpload={(file) => {
            if (!isJpegOrPng(file)) {
              message.error('仅支持 JPG、PNG 格式的图片');
              return Upload.LIST_IGNORE;
            }
            if (file.size > MAX_BYTES) {
              message.error('图片大小不能超过5M');
              return Upload.LIST_IGNORE;
            }
            return true;
          }}
          customRequest={({ file, onSuccess, onError }) => {
            setUploading(true);
            upload(file as File)
              .then((result) => {
                onChange?.(result.id);
                onSuccess?.(result);
                message.success('封面已上传');
              })
              .catch((err: unknown) => {
                const e = toApiError(err);
                if (!isUnauthenticated(e)) message.error(e.fields?.file ?? e.message);
                onError?.(e);
              })
              .finally(() => setUploading(false));
          }}
        >
          <Button icon={<UploadOutlined />} loading={uploading}>
            {uploading ? '正在上传…' : value ? '重新上传' : '上传封面'}
          </Button>
        </Upload>
        {value && !uploading && (
          <Button icon={<DeleteOutlined />} onClick={() => onChange?.(null)}>
            移除
          </Button>
        )}
        {hint}
      </div>
    </div>
  );
}
