import { InboxOutlined } from '@ant-design/icons';
import { ROSTER_MAX_ROWS } from '@cpe/shared/schemas/roster';
import { Upload } from 'antd';
import { useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { useUploadRoster } from '../api';
import type { RosterDetail, RosterScope } from '../types';

const MAX_BYTES = 5 * 1024 * 1024;

/** The drop area: one .xlsx (≤5M, ≤10000 rows), checked here first, then validated by the server. */
export function RosterUpload({ scope, onUploaded }: { scope: RosterScope; onUploaded: (d: RosterDetail) => void }) {
  const upload = useUploadRoster(scope);
  const [error, setError] = useState<string | null>(null);

  const send = async (file: File) => {
    setError(null);
    if (!/\.xlsx$/i.test(file.name)) {
      setError('请上传Excel文件（.xlsx）');
      return;
    }
    if (file.size > MAX_BYTES) {
      setError('文件大小不能超过5M');
      return;
    }
    try {
      onUploaded(await upload.mutateAsync(file));
    } catch (err) {
      const e = toApiError(err);
      setError(e.fields?.file ?? e.message);
    }
  };

  return (
    <div className="cpe-roster-upload">
      <Upload.Dragger
        accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        multiple={false}
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          void send(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">
          {upload.isPending ? '正在上传并校验，请稍候…' : '点击或拖拽学员注册名单到此处上传'}
        </p>
        <p className="ant-upload-hint">
          仅支持按模板填写的Excel文件（.xlsx），大小不超过5M，每次最多{ROSTER_MAX_ROWS}名学员
        </p>
      </Upload.Dragger>
      {error && (
        <div className="cpe-roster-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
