import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Image, Upload } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { coverUrl, uploadCover } from '../api';

const MAX_BYTES = 5 * 1024 * 1024;
const MIMES = ['image/jpeg', 'image/png'];

/** Some systems report no type: the extension decides then (the server checks the content anyway). */
function isJpegOrPng(file: File): boolean {
  if (file.type) return MIMES.includes(file.type);
  return /\.(jpe?g|png)$/i.test(file.name);
}

/**
 * 封面图片 as a form field holding the uploaded file's id (or null): uploads at once, then shows the
 * re-encoded image the server keeps (click to enlarge) with 重新上传 and 移除.
 */
export function CoverUpload({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
}) {
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);

  return (
    <div className="cpe-plan-cover" id={id}>
      {value && <Image className="cpe-plan-cover-image" src={coverUrl(value)} alt="封面图片" width={240} />}
      <div className="cpe-plan-cover-actions">
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
            uploadCover(file as File)
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
      </div>
    </div>
  );
}
