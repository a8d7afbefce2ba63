import { ImageUpload } from '../../../shared/form/ImageUpload';
import { coverUrl, uploadCover } from '../api';

/** 封面图片 of a plan, as a form field holding the uploaded file's id (or null). */
export function CoverUpload(props: { id?: string; value?: string | null; onChange?: (value: string | null) => void }) {
  return <ImageUpload {...props} upload={uploadCover} srcOf={coverUrl} className="cpe-plan-cover" alt="封面图片" />;
}
