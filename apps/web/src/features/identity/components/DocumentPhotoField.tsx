import { PlusOutlined } from '@ant-design/icons';
import { App, Form, type FormInstance, Image, Upload, type UploadFile } from 'antd';
import { useEffect, useState } from 'react';

/** The limits of the server (files/images.ts). */
const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const PHOTO_TYPES = ['image/jpeg', 'image/png'];

/** The chosen photo of a form's `photo` field, for a multipart body. */
export function chosenPhoto(list: UploadFile[] | undefined): File | undefined {
  return list?.[0]?.originFileObj;
}

/**
 * 证件照片 (人工找回: 身份证照片): one JPG or PNG up to 5M, sent with the form (not uploaded on its own), with a
 * preview. The server decides by the bytes and re-encodes the image; this only spares a round trip. `label` also
 * names the photo in the required message and the preview.
 */
export function DocumentPhotoField({ form, label, extra }: { form: FormInstance; label: string; extra: string }) {
  const { message } = App.useApp();
  const photo = Form.useWatch('photo', form) as UploadFile[] | undefined;
  const file = chosenPhoto(photo);
  const [thumb, setThumb] = useState<string | null>(null);
  const [preview, setPreview] = useState(false);
  // A blob: URL of the chosen photo; released when the photo changes.
  useEffect(() => {
    if (!file) {
      setThumb(null);
      return;
    }
    const url = URL.createObjectURL(file);
    setThumb(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  return (
    <>
      <Form.Item
        label={label}
        name="photo"
        valuePropName="fileList"
        getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList.slice(-1)}
        extra={extra}
        rules={[
          {
            required: true,
            validator: async (_r, list: UploadFile[] | undefined) => {
              if (!chosenPhoto(list)) throw new Error(`请上传${label}`);
            },
          },
        ]}
      >
        <Upload
          accept=".jpg,.jpeg,.png,image/jpeg,image/png"
          listType="picture-card"
          maxCount={1}
          beforeUpload={(f) => {
            if (!PHOTO_TYPES.includes(f.type)) {
              message.error('仅支持JPG、PNG格式的图片');
              return Upload.LIST_IGNORE;
            }
            if (f.size > MAX_PHOTO_BYTES) {
              message.error('图片大小不能超过5M');
              return Upload.LIST_IGNORE;
            }
            return false;
          }}
          onPreview={() => setPreview(true)}
        >
          {photo?.length ? null : (
            <button type="button" className="cpe-upload-button">
              <PlusOutlined />
              <span>上传照片</span>
            </button>
          )}
        </Upload>
      </Form.Item>
      {preview && thumb && (
        <Image
          src={thumb}
          alt={`${label}预览`}
          // Only the preview shows: the hidden root takes no room in the form.
          styles={{ root: { display: 'none' } }}
          preview={{ open: true, onOpenChange: (open) => !open && setPreview(false) }}
        />
      )}
    </>
  );
}
