import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Upload } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { ownFileUrl, type UploadPurpose, uploadFile } from '../api';
import type { UploadedFile } from '../types';
import { FilePreview } from './FilePreview';

const MAX_BYTES = 5 * 1024 * 1024;

const TYPES: Record<UploadPurpose, { accept: string; mimes: string[]; message: string }> = {
  licence: {
    accept: '.jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf',
    mimes: ['image/jpeg', 'image/png', 'application/pdf'],
    message: '仅支持 JPG、PNG 或 PDF 格式的文件',
  },
  authorization: {
    accept: '.jpg,.jpeg,.png,image/jpeg,image/png',
    mimes: ['image/jpeg', 'image/png'],
    message: '仅支持 JPG、PNG 格式的图片',
  },
};

const EXT_MIME: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
};

/** Some phones report no type: the extension decides then (the server checks the content anyway). */
function mimeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return EXT_MIME[ext] ?? '';
}

/**
 * A form field holding the id of an uploaded file: uploads at once (POST /api/files), then shows the
 * document with 重新上传.
 */
export function FileUpload({
  id,
  value,
  onChange,
  purpose,
  title,
  disabled,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  purpose: UploadPurpose;
  /** The document's name, for the preview (组织机构代码证或营业执照, 单位授权书). */
  title: string;
  disabled?: boolean;
}) {
  const { message } = App.useApp();
  const [uploaded, setUploaded] = useState<UploadedFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const types = TYPES[purpose];
  const meta = uploaded && uploaded.id === value ? uploaded : null;

  return (
    <div className="cpe-unit-upload" id={id}>
      {value && (
        <div className="cpe-unit-upload-preview">
          <FilePreview key={value} url={ownFileUrl(value)} mime={meta?.mime} title={title} width={160} />
          {meta?.name && <div className="cpe-unit-upload-name">{meta.name}</div>}
        </div>
      )}
      <Upload
        accept={types.accept}
        showUploadList={false}
        maxCount={1}
        // undefined (not false) leaves a disabled Form's own state in force
        disabled={disabled || uploading || undefined}
        beforeUpload={(file) => {
          if (!types.mimes.includes(mimeOf(file))) {
            message.error(types.message);
            return Upload.LIST_IGNORE;
          }
          if (file.size > MAX_BYTES) {
            message.error('文件大小不能超过5M');
            return Upload.LIST_IGNORE;
          }
          return true;
        }}
        customRequest={({ file, onSuccess, onError }) => {
          setUploading(true);
          uploadFile(purpose, file as File)
            .then((result) => {
              setUploaded(result);
              onChange?.(result.id);
              onSuccess?.(result);
              message.success('上传成功');
            })
            .catch((err: unknown) => {
              const e = toApiError(err);
              if (!isUnauthenticated(e)) message.error(e.fields?.file ?? e.message);
              onError?.(e);
            })
            .finally(() => setUploading(false));
        }}
      >
        <Button icon={<UploadOutlined />} loading={uploading} disabled={disabled}>
          {uploading ? '正在上传…' : value ? '重新上传' : '选择文件上传'}
        </Button>
      </Upload>
    </div>
  );
}
