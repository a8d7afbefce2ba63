import { FilePdfOutlined, FileUnknownOutlined } from '@ant-design/icons';
import { Image } from 'antd';
import { type CSSProperties, useState } from 'react';

type Kind = 'image' | 'pdf' | 'other' | 'missing';

function kindOf(mime: string | null | undefined): Kind {
  if (!mime) return 'other';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('application/pdf')) return 'pdf';
  return 'other';
}

/**
 * An uploaded document: a picture inline (click to enlarge), a PDF in a frame or as a link. Without a
 * known type the picture is tried first; when it does not load, a HEAD request tells a PDF from a file
 * this person may not read (a unit's licence uploaded by its former administrator).
 */
export function FilePreview({
  url,
  mime,
  title,
  width = 240,
  inlinePdf = false,
}: {
  url: string;
  mime?: string;
  title: string;
  width?: number;
  /** Show a PDF in an <iframe> (review); otherwise a link. */
  inlinePdf?: boolean;
}) {
  const [kind, setKind] = useState<Kind>(mime ? kindOf(mime) : 'image');

  const onImageError = () => {
    fetch(url, { method: 'HEAD', credentials: 'same-origin' })
      .then((res) => setKind(res.ok ? kindOf(res.headers.get('content-type')) : 'missing'))
      .catch(() => setKind('missing'));
  };

  if (kind === 'image') {
    return (
      <Image
        className="cpe-unit-file-image"
        src={url}
        alt={title}
        // The width on the <img> (not the wrapper) and through CSS, so a phone-wide table cell can shrink it.
        style={{ '--cpe-file-width': `${width}px` } as CSSProperties}
        onError={onImageError}
      />
    );
  }
  if (kind === 'missing') return <span className="cpe-muted">已上传（仅上传人和审核人可查看）</span>;
  return (
    <div className="cpe-unit-file-doc">
      {kind === 'pdf' && inlinePdf && <iframe className="cpe-unit-file-frame" src={url} title={title} />}
      <a href={url} target="_blank" rel="noreferrer">
        {kind === 'pdf' ? <FilePdfOutlined /> : <FileUnknownOutlined />} 在新窗口中查看{title}
      </a>
    </div>
  );
}
