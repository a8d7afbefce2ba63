import { UNIT_CATEGORY_LABELS } from '@cpe/shared/schemas/units';
import { Descriptions, type DescriptionsProps } from 'antd';
import type { ReactNode } from 'react';
import { areaLabel } from '../areas';
import type { UnitDraft } from '../types';
import { FilePreview } from './FilePreview';
import { ManualCheckTag } from './StatusTag';

const dash = <span className="cpe-muted">未填写</span>;

/**
 * The 单位资料 of an application, read-only, with the seed's labels. `fileUrl` says where its documents are
 * read (the applicant's own files on the portal, the application's files for a reviewer).
 */
export function UnitDataView({
  data,
  reviewerName,
  fileUrl,
  inlinePdf,
  before,
  size = 'middle',
  columns,
}: {
  data: UnitDraft;
  reviewerName?: string;
  fileUrl: (fileId: string) => string;
  inlinePdf?: boolean;
  /** Rows shown first (申请人, 手机号… in a review). */
  before?: DescriptionsProps['items'];
  size?: 'small' | 'middle';
  /** Fixed column count (a drawer is narrow whatever the screen); by default 1 on phones, 2 from md. */
  columns?: number;
}) {
  const text = (v: ReactNode) => (v === undefined || v === null || v === '' ? dash : v);
  const doc = (id: string | undefined, title: string) =>
    id ? (
      <FilePreview url={fileUrl(id)} title={title} inlinePdf={inlinePdf} />
    ) : (
      <span className="cpe-muted">未上传</span>
    );
  const items: NonNullable<DescriptionsProps['items']> = [
    ...(before ?? []),
    { key: 'category', label: '注册类别', children: text(data.category && UNIT_CATEGORY_LABELS[data.category]) },
    { key: 'unitName', label: '单位名称', children: text(data.unitName) },
    {
      key: 'uscc',
      label: '社会统一信用代码',
      children: data.uscc ? (
        <span className="cpe-unit-code">
          {data.uscc} {data.usccManualCheck && <ManualCheckTag />}
        </span>
      ) : (
        dash
      ),
    },
    { key: 'regArea', label: '注册地', children: text(areaLabel(data.regArea)) },
    { key: 'insuredArea', label: '参保地', children: text(areaLabel(data.insuredArea)) },
    { key: 'locatedArea', label: '所在地', children: text(areaLabel(data.locatedArea)) },
    { key: 'address', label: '详细地址', children: text(data.address) },
    { key: 'unitType', label: '单位类型', children: text(data.unitType) },
    {
      key: 'isGrassroots',
      label: '是否为乡镇基层单位',
      children: data.isGrassroots === undefined ? dash : data.isGrassroots ? '是' : '否',
    },
    { key: 'reviewer', label: '申报地区(部门)', children: text(reviewerName) },
    {
      key: 'licence',
      label: '组织机构代码证或营业执照',
      span: 'filled',
      children: doc(data.licenceFileId, '组织机构代码证或营业执照'),
    },
    {
      key: 'authorization',
      label: '单位授权书',
      span: 'filled',
      children: doc(data.authorizationFileId, '单位授权书'),
    },
  ];
  return (
    <Descriptions
      className="cpe-unit-data"
      bordered
      size={size}
      column={columns ?? { xs: 1, sm: 1, md: 2 }}
      items={items}
    />
  );
}
