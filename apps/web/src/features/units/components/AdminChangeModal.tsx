import { SearchOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Empty, Form, Input, Modal, Space } from 'antd';
import { useState } from 'react';
import { api, isUnauthenticated, qs, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { authorizationLetterUrl, useRequestAdminChange } from '../api';
import type { UnitApplication, UnitLookup } from '../types';
import { FileUpload } from './FileUpload';

type FoundUnit = NonNullable<UnitLookup['unit']>;

/**
 * 查询或变更管理员: find a registered unit by its name or code, see its (masked) administrator, and ask to
 * take over with a new 单位授权书. The unit's reviewer decides.
 */
export function AdminChangeModal({
  open,
  initialUnit,
  onClose,
  onSubmitted,
}: {
  open: boolean;
  /** The unit found while typing the registration form; null opens on the search. */
  initialUnit: FoundUnit | null;
  onClose: () => void;
  onSubmitted: (application: UnitApplication) => void;
}) {
  const { message } = App.useApp();
  const [unit, setUnit] = useState<FoundUnit | null>(initialUnit);
  const [keyword, setKeyword] = useState('');
  const [searching, setSearching] = useState(false);
  const [searchResult, setSearchResult] = useState<UnitLookup | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ authorizationFileId?: string }>();
  const request = useRequestAdminChange();

  const search = async () => {
    const k = keyword.trim();
    if (!k) {
      setSearchError('请输入单位名称或社会统一信用代码');
      return;
    }
    setSearchError(null);
    setSearching(true);
    try {
      // 18 code characters: a 统一社会信用代码; anything else is a name.
      const byCode = /^[0-9A-Za-z]{18}$/.test(k);
      const r = await api.get<UnitLookup>(`/api/units/lookup${qs(byCode ? { uscc: k.toUpperCase() } : { name: k })}`);
      setSearchResult(r);
      setUnit(r.unit);
    } catch (err) {
      if (!isUnauthenticated(err)) setSearchError(toApiError(err).message);
    } finally {
      setSearching(false);
    }
  };

  const submit = async () => {
    if (!unit) return;
    let values: { authorizationFileId?: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    try {
      const application = await request.mutateAsync({
        unitId: unit.id,
        authorizationFileId: values.authorizationFileId as string,
      });
      message.success('变更管理员申请已提交，请等待审核');
      onSubmitted(application);
    } catch (err) {
      if (isUnauthenticated(err)) return;
      setError(applyApiError(err, form));
    }
  };

  return (
    <Modal
      open={open}
      title="查询或变更管理员"
      onCancel={onClose}
      destroyOnHidden
      width={600}
      footer={
        <Space>
          <Button onClick={onClose} disabled={request.isPending}>
            取消
          </Button>
          <Button type="primary" onClick={submit} loading={request.isPending} disabled={!unit}>
            提交变更申请
          </Button>
        </Space>
      }
    >
      <p className="cpe-muted">
        若该单位已注册，原管理员未知或人事已变动，可上传盖章的新单位授权书申请成为该单位的管理员，审核通过后生效。
      </p>
      {!initialUnit && (
        <div className="cpe-unit-admin-search">
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="请输入单位名称或社会统一信用代码"
              value={keyword}
              maxLength={100}
              allowClear
              onChange={(e) => setKeyword(e.target.value)}
              onPressEnter={search}
              aria-label="单位名称或社会统一信用代码"
            />
            <Button type="primary" icon={<SearchOutlined />} loading={searching} onClick={search}>
              查询
            </Button>
          </Space.Compact>
          {searchError && <div className="cpe-unit-error-text">{searchError}</div>}
          {searchResult && !searchResult.unit && (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={
                searchResult.pending
                  ? '该单位的注册申请正在审核中，审核通过后方可变更管理员'
                  : '未查询到已注册的单位，请核对单位全称或社会统一信用代码'
              }
            />
          )}
        </div>
      )}
      {unit && (
        <>
          <Descriptions
            className="cpe-unit-admin-found"
            bordered
            size="small"
            column={1}
            items={[
              { key: 'name', label: '单位名称', children: unit.name },
              { key: 'uscc', label: '社会统一信用代码', children: unit.uscc },
              {
                key: 'admin',
                label: '当前管理员',
                children: unit.adminMasked ?? <span className="cpe-muted">无</span>,
              },
            ]}
          />
          {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error} />}
          <Form form={form} layout="vertical" name="adminChange" requiredMark>
            <Form.Item
              label="单位授权书"
              name="authorizationFileId"
              rules={[{ required: true, message: '请上传单位授权书' }]}
              extra={
                <>
                  <div>
                    请先下载{' '}
                    <a href={authorizationLetterUrl({ unitName: unit.name, uscc: unit.uscc })} download>
                      《单位授权书模板》
                    </a>
                    , 盖章后拍照上传
                  </div>
                  <div>支持格式: JPG, PNG, 大小不超过5M</div>
                </>
              }
            >
              <FileUpload purpose="authorization" title="单位授权书" />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
