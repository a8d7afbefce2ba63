import { ZUnitData } from '@cpe/shared/schemas/units';
import { normalizeUscc, USCC_MESSAGES, validateUscc } from '@cpe/shared/validators/uscc';
import { App, Button, Checkbox, Form, Input, Radio, Select } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { isUnauthenticated } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { authorizationLetterUrl, useReviewers, useUnitLookup, useUnitTypeOptions } from '../api';
import { useDebounced, useLeaveGuard } from '../hooks';
import type { UnitApplication, UnitCategory, UnitData, UnitDraft, UnitLookup, UnitType } from '../types';
import { AdminChangeModal } from './AdminChangeModal';
import { AreaCascader } from './AreaCascader';
import { FileUpload } from './FileUpload';

export interface UnitFormValues {
  category?: UnitCategory;
  unitName?: string;
  uscc?: string;
  usccManualCheck?: boolean;
  licenceFileId?: string;
  regArea?: string;
  insuredArea?: string;
  insuredSameAsReg?: boolean;
  locatedArea?: string;
  locatedSameAsReg?: boolean;
  address?: string;
  unitType?: UnitType;
  isGrassroots?: boolean;
  reviewerNodeId?: string;
  authorizationFileId?: string;
}

const S = ZUnitData.shape;
const FORM_LAYOUT = {
  labelCol: { sm: { span: 7 }, md: { span: 6 } },
  wrapperCol: { sm: { span: 17 }, md: { span: 16 } },
} as const;
const TAIL_LAYOUT = { wrapperCol: { sm: { offset: 7, span: 17 }, md: { offset: 6, span: 16 } } } as const;

const CATEGORY_OPTIONS = [
  { value: 'unit', label: '单位' },
  { value: 'department', label: '主管部门' },
];
const YES_NO = [
  { value: true, label: '是' },
  { value: false, label: '否' },
];
const REVIEWER_GROUPS: Record<string, string> = {
  district: '区县人社局',
  city: '市人社局',
  department: '市级主管部门',
};

/** The form's values from saved data (a draft, a returned application, the unit in force), or a new form's. */
export function formValuesOf(data: UnitDraft | undefined): UnitFormValues {
  // As the seed shows a new form: 注册类别 单位, 参保地 / 所在地 同注册地 (so a first 提交注册 does not fail three times).
  const same = (area: string | undefined) => !area || area === data?.regArea;
  return {
    ...data,
    category: data?.category ?? 'unit',
    insuredSameAsReg: same(data?.insuredArea),
    locatedSameAsReg: same(data?.locatedArea),
  };
}

function trimmed(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** What 保存草稿 sends: only what is filled in (the server checks shapes only). */
export function draftOf(v: UnitFormValues): UnitDraft {
  const uscc = v.uscc ? normalizeUscc(v.uscc).slice(0, 18) : undefined;
  const draft: UnitDraft = {
    category: v.category,
    unitName: trimmed(v.unitName),
    uscc: uscc || undefined,
    usccManualCheck: v.usccManualCheck || undefined,
    licenceFileId: v.licenceFileId,
    regArea: v.regArea,
    insuredArea: v.insuredSameAsReg ? v.regArea : v.insuredArea,
    locatedArea: v.locatedSameAsReg ? v.regArea : v.locatedArea,
    address: trimmed(v.address),
    unitType: v.unitType,
    isGrassroots: v.isGrassroots,
    reviewerNodeId: v.reviewerNodeId,
    authorizationFileId: v.authorizationFileId,
  };
  for (const k of Object.keys(draft) as Array<keyof UnitDraft>) if (draft[k] === undefined) delete draft[k];
  return draft;
}

/** What 提交 sends, once every rule has passed. */
export function dataOf(v: UnitFormValues): UnitData {
  const uscc = normalizeUscc(v.uscc ?? '');
  return {
    category: v.category as UnitCategory,
    unitName: (v.unitName ?? '').trim(),
    uscc,
    // The flag only means something while the check character fails.
    usccManualCheck: Boolean(v.usccManualCheck) && validateUscc(uscc) === 'checkChar',
    licenceFileId: v.licenceFileId as string,
    regArea: v.regArea as string,
    insuredArea: (v.insuredSameAsReg ? v.regArea : v.insuredArea) as string,
    locatedArea: (v.locatedSameAsReg ? v.regArea : v.locatedArea) as string,
    address: (v.address ?? '').trim(),
    unitType: v.unitType as UnitType,
    isGrassroots: v.isGrassroots as boolean,
    reviewerNodeId: v.reviewerNodeId as string,
    authorizationFileId: v.authorizationFileId as string,
  };
}

type FoundUnit = NonNullable<UnitLookup['unit']>;

/** Under 单位名称 / 社会统一信用代码: whether the unit is registered already, with the way to take it over. */
function TakenNote({
  lookup,
  ownUnitId,
  onChangeAdmin,
}: {
  lookup: UnitLookup | undefined;
  ownUnitId?: string;
  onChangeAdmin: (unit: FoundUnit) => void;
}) {
  if (!lookup?.taken) return null;
  if (lookup.unit) {
    if (lookup.unit.id === ownUnitId) return null;
    const unit = lookup.unit;
    return (
      <div className="cpe-unit-taken" role="status">
        该单位已注册
        {unit.adminMasked ? `（管理员：${unit.adminMasked}）` : ''}，
        <button type="button" className="cpe-link-button" onClick={() => onChangeAdmin(unit)}>
          查询或变更管理员
        </button>
      </div>
    );
  }
  return (
    <div className="cpe-unit-taken" role="status">
      该单位已有注册申请正在审核中，请勿重复注册
    </div>
  );
}

export interface UnitFormProps {
  /** register: 注册管理员 (with 保存草稿 and the 查询或变更管理员 hints); change: 单位信息修改. */
  mode: 'register' | 'change';
  initial?: UnitDraft;
  /** 单位信息修改: the unit's own name and code are not "taken". */
  ownUnitId?: string;
  submitText: string;
  /** Shown above the buttons. */
  submitNote?: ReactNode;
  confirmTitle: string;
  confirmContent: ReactNode;
  onSubmit: (data: UnitData) => Promise<unknown>;
  onSaveDraft?: (draft: UnitDraft) => Promise<unknown>;
  /** 变更管理员 filed from the form (register mode). */
  onAdminChangeSubmitted?: (application: UnitApplication) => void;
  disabled?: boolean;
}

/**
 * 单位资料 as the seed's 单位管理员注册 lists them, for registration and for 单位信息修改. The rules are the
 * server's zod schema; the server's field messages land on the same fields.
 */
export function UnitForm({
  mode,
  initial,
  ownUnitId,
  submitText,
  submitNote,
  confirmTitle,
  confirmContent,
  onSubmit,
  onSaveDraft,
  onAdminChangeSubmitted,
  disabled,
}: UnitFormProps) {
  const [form] = Form.useForm<UnitFormValues>();
  const { unitTypes, unitTypeOptions } = useUnitTypeOptions();
  const { modal, message } = App.useApp();
  const showError = useShowApiError();
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState<'submit' | 'draft' | null>(null);
  const [changeAdmin, setChangeAdmin] = useState<{ open: boolean; unit: FoundUnit | null }>({
    open: false,
    unit: null,
  });
  const initialValues = useMemo(() => formValuesOf(initial), [initial]);
  useLeaveGuard(dirty && !disabled);

  const reviewers = useReviewers();
  const reviewerOptions = useMemo(() => {
    const groups = new Map<string, Array<{ value: string; label: string }>>();
    for (const n of reviewers.data?.items ?? []) {
      const list = groups.get(n.kind) ?? [];
      list.push({ value: n.id, label: n.name });
      groups.set(n.kind, list);
    }
    return ['district', 'city', 'department']
      .filter((k) => groups.has(k))
      .map((k) => ({ label: REVIEWER_GROUPS[k], title: REVIEWER_GROUPS[k], options: groups.get(k) ?? [] }));
  }, [reviewers.data]);

  const unitName = Form.useWatch('unitName', form);
  const uscc = Form.useWatch('uscc', form);
  const category = Form.useWatch('category', form);
  const reviewerNodeId = Form.useWatch('reviewerNodeId', form);
  const insuredSame = Form.useWatch('insuredSameAsReg', form);
  const locatedSame = Form.useWatch('locatedSameAsReg', form);
  const nameLookup = useUnitLookup('name', useDebounced(unitName, 500));
  const usccLookup = useUnitLookup('uscc', useDebounced(uscc, 300));
  const usccCheckFails = Boolean(uscc) && validateUscc(uscc ?? '') === 'checkChar';

  const openChangeAdmin = (unit: FoundUnit | null) => setChangeAdmin({ open: true, unit });

  const onValuesChange = (changed: Partial<UnitFormValues>, all: UnitFormValues) => {
    setDirty(true);
    // 同注册地: the copy follows 注册地 while ticked.
    if ('regArea' in changed || 'insuredSameAsReg' in changed || 'locatedSameAsReg' in changed) {
      const copy: Partial<UnitFormValues> = {};
      if (all.insuredSameAsReg) copy.insuredArea = all.regArea;
      if (all.locatedSameAsReg) copy.locatedArea = all.regArea;
      if (Object.keys(copy).length > 0) {
        form.setFieldsValue(copy);
        const names = Object.keys(copy) as Array<keyof UnitFormValues>;
        if (all.regArea) void form.validateFields(names).catch(() => undefined);
      }
    }
    if ('uscc' in changed && validateUscc(changed.uscc ?? '') !== 'checkChar' && all.usccManualCheck) {
      form.setFieldValue('usccManualCheck', false);
    }
  };

  const saveDraft = async () => {
    if (!onSaveDraft) return;
    setBusy('draft');
    try {
      await onSaveDraft(draftOf(form.getFieldsValue(true) as UnitFormValues));
      setDirty(false);
      message.success('草稿已保存');
    } catch (err) {
      if (!isUnauthenticated(err)) showError(err, form);
    } finally {
      setBusy(null);
    }
  };

  const submit = (values: UnitFormValues) => {
    const data = dataOf({ ...(form.getFieldsValue(true) as UnitFormValues), ...values });
    modal.confirm({
      title: confirmTitle,
      content: confirmContent,
      okText: submitText,
      cancelText: '再检查一下',
      onOk: async () => {
        setBusy('submit');
        try {
          await onSubmit(data);
          setDirty(false);
        } catch (err) {
          if (!isUnauthenticated(err)) showError(err, form);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  return (
    <>
      <Form<UnitFormValues>
        form={form}
        name={mode === 'register' ? 'unitRegister' : 'unitInfo'}
        {...FORM_LAYOUT}
        className="cpe-unit-form"
        initialValues={initialValues}
        onValuesChange={onValuesChange}
        onFinish={submit}
        scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
        disabled={disabled}
      >
        <Form.Item label="注册类别" name="category" rules={[zodRule(S.category)]} extra="请根据实际情况选择注册类别">
          <Radio.Group options={CATEGORY_OPTIONS} />
        </Form.Item>

        <Form.Item
          label="单位名称"
          name="unitName"
          rules={[zodRule(S.unitName)]}
          extra={
            nameLookup.data?.taken && nameLookup.data.unit?.id !== ownUnitId ? (
              <TakenNote lookup={nameLookup.data} ownUnitId={ownUnitId} onChangeAdmin={openChangeAdmin} />
            ) : mode === 'register' ? (
              <span>
                若该单位已注册, 原管理员未知或人事已变动, 点击
                <button type="button" className="cpe-link-button" onClick={() => openChangeAdmin(null)}>
                  这里
                </button>
                可查询或变更管理员
              </span>
            ) : undefined
          }
        >
          <Input placeholder="请输入单位全称，与营业执照一致" maxLength={100} autoComplete="organization" />
        </Form.Item>

        <Form.Item
          label="社会统一信用代码"
          name="uscc"
          required
          normalize={(v: string | undefined) => (v ? normalizeUscc(v) : v)}
          dependencies={['usccManualCheck']}
          rules={[
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                const error = validateUscc(value ?? '');
                if (!error || (error === 'checkChar' && getFieldValue('usccManualCheck'))) return;
                throw new Error(USCC_MESSAGES[error]);
              },
            }),
          ]}
          extra={
            usccLookup.data?.taken && usccLookup.data.unit?.id !== ownUnitId ? (
              <TakenNote lookup={usccLookup.data} ownUnitId={ownUnitId} onChangeAdmin={openChangeAdmin} />
            ) : undefined
          }
        >
          <Input placeholder="请输入18位统一社会信用代码" maxLength={18} autoComplete="off" spellCheck={false} />
        </Form.Item>
        {usccCheckFails && (
          <Form.Item {...TAIL_LAYOUT} name="usccManualCheck" valuePropName="checked" className="cpe-unit-manual">
            <Checkbox>代码校验未通过，申请人工核验</Checkbox>
          </Form.Item>
        )}

        <Form.Item
          label="组织机构代码证或营业执照"
          name="licenceFileId"
          rules={[zodRule(S.licenceFileId)]}
          extra="支持格式: JPG, PNG, PDF, 大小不超过5M"
        >
          <FileUpload purpose="licence" title="组织机构代码证或营业执照" />
        </Form.Item>

        <Form.Item label="注册地" name="regArea" rules={[zodRule(S.regArea)]}>
          <AreaCascader />
        </Form.Item>
        <Form.Item label="参保地" required>
          <div className="cpe-unit-area-row">
            <Form.Item name="insuredArea" noStyle rules={[zodRule(S.insuredArea)]}>
              <AreaCascader disabled={Boolean(insuredSame) || disabled} />
            </Form.Item>
            <Form.Item name="insuredSameAsReg" noStyle valuePropName="checked">
              <Checkbox className="cpe-unit-same">同注册地</Checkbox>
            </Form.Item>
          </div>
        </Form.Item>
        <Form.Item label="所在地" required>
          <div className="cpe-unit-area-row">
            <Form.Item name="locatedArea" noStyle rules={[zodRule(S.locatedArea)]}>
              <AreaCascader disabled={Boolean(locatedSame) || disabled} />
            </Form.Item>
            <Form.Item name="locatedSameAsReg" noStyle valuePropName="checked">
              <Checkbox className="cpe-unit-same">同注册地</Checkbox>
            </Form.Item>
          </div>
        </Form.Item>

        <Form.Item label="详细地址" name="address" rules={[zodRule(S.address)]}>
          <Input placeholder="请输入街道、门牌号等详细地址" maxLength={200} autoComplete="street-address" />
        </Form.Item>

        <Form.Item label="单位类型" name="unitType" rules={[zodRule(S.unitType)]}>
          <Select placeholder="请选择" options={unitTypeOptions} loading={unitTypes.isLoading} />
        </Form.Item>

        <Form.Item label="是否为乡镇基层单位" name="isGrassroots" rules={[zodRule(S.isGrassroots)]}>
          <Radio.Group options={YES_NO} />
        </Form.Item>

        <Form.Item
          label="申报地区(部门)"
          name="reviewerNodeId"
          rules={[zodRule(S.reviewerNodeId)]}
          extra={
            reviewers.isError ? '申报地区(部门)加载失败，请刷新页面重试' : '注册申请将由所选区县人社局或主管部门审核'
          }
        >
          <Select
            placeholder="请选择"
            options={reviewerOptions}
            loading={reviewers.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            notFoundContent={reviewers.isPending ? '加载中…' : '无匹配的地区或部门'}
          />
        </Form.Item>

        <Form.Item
          label="单位授权书"
          name="authorizationFileId"
          rules={[zodRule(S.authorizationFileId)]}
          extra={
            <>
              <div>
                请先下载{' '}
                <a
                  href={authorizationLetterUrl({ unitName, uscc, category, reviewerNodeId })}
                  download
                  className="cpe-unit-template-link"
                >
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

        <Form.Item {...TAIL_LAYOUT} className="cpe-unit-actions">
          {submitNote && <div className="cpe-unit-submit-note">{submitNote}</div>}
          <div className="cpe-unit-buttons">
            {onSaveDraft && (
              <Button size="large" onClick={saveDraft} loading={busy === 'draft'} disabled={busy !== null || disabled}>
                保存草稿
              </Button>
            )}
            <Button
              type="primary"
              size="large"
              htmlType="submit"
              loading={busy === 'submit'}
              disabled={busy !== null || disabled}
            >
              {submitText}
            </Button>
          </div>
        </Form.Item>
      </Form>
      {mode === 'register' && (
        <AdminChangeModal
          key={changeAdmin.unit?.id ?? 'search'}
          open={changeAdmin.open}
          initialUnit={changeAdmin.unit}
          onClose={() => setChangeAdmin((s) => ({ ...s, open: false }))}
          onSubmitted={(application) => {
            setChangeAdmin((s) => ({ ...s, open: false }));
            setDirty(false);
            onAdminChangeSubmitted?.(application);
          }}
        />
      )}
    </>
  );
}
