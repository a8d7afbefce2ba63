import {
  checkSectionDraft,
  classHours,
  displayValue,
  type FieldDef,
  HOURS_PER_HALF_DAY,
  isBlank,
  type SectionDef,
  type TAttachment,
} from '@cpe/shared/applications/index';
import { Alert, App, Button, Collapse, Form, type FormInstance, Grid, Tag } from 'antd';
import { Fragment, type Ref, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useSaveSection } from '../api';
import type { ApplicationDetail, SectionValues } from '../types';
import { FieldInput } from './FieldInput';
import { ReadonlyTable } from './ReadonlyTable';
import { commentRounds, ReviewCommentsRecord } from './ReviewCommentsRecord';
import '../applications.css';
import '../filing.css';

const WIDE_ITEM = { layout: 'vertical', labelCol: { span: 24 }, wrapperCol: { span: 24 } } as const;

export interface SectionFormHandle {
  /** Saves the section as it stands; the new detail, or null when it could not be saved (errors shown). */
  save: () => Promise<ApplicationDetail | null>;
}

/**
 * Every field of the section, blank ones as null: a cleared field must overwrite what was saved. The
 * 学员名单's totals are the server's (its rows are edited apart), so they are never sent.
 */
function valuesOf(section: SectionDef, raw: SectionValues): SectionValues {
  return Object.fromEntries(
    section.fields.filter((f) => f.kind !== 'trainees').map((f) => [f.name, raw[f.name] ?? null]),
  );
}

/** Fields that take the whole width under their label, whatever the form's layout. */
const wide = (f: FieldDef) => f.kind === 'table' || f.kind === 'files' || f.kind === 'trainees';

/** A 日程安排 (rows by date and 上午/下午): its 学时 count from the half days. */
const isSchedule = (f: FieldDef) =>
  f.kind === 'table' && Boolean(f.columns?.some((c) => c.name === 'date') && f.columns?.some((c) => c.name === 'half'));

/** 共N个半天，计M学时, as the rows stand now. */
function ScheduleHours({ form, name }: { form: FormInstance<SectionValues>; name: string }) {
  const rows = Form.useWatch(name, form);
  const hours = classHours({ schedule: { schedule: Array.isArray(rows) ? rows : [] } });
  return (
    <div className="cpe-filing-hours" data-testid="class-hours">
      共{hours / HOURS_PER_HALF_DAY}个半天，计{hours}学时
    </div>
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** 原方案 under a field of a 计划变化: the approved value it replaces, and whether it is changed now. */
function OriginalValue({ form, field, value }: { form: FormInstance<SectionValues>; field: FieldDef; value: unknown }) {
  const current = Form.useWatch(field.name, form);
  return (
    <div className="cpe-filing-original" data-testid="original-value">
      原方案：{isBlank(value) ? '未填写' : displayValue(field, value)}
      {!same(current, value) && <Tag color="orange">已修改</Tag>}
    </div>
  );
}

/** 原方案 of a table field (日程安排), folded above the editable rows. */
function OriginalTable({ form, field, value }: { form: FormInstance<SectionValues>; field: FieldDef; value: unknown }) {
  const current = Form.useWatch(field.name, form);
  const rows = Array.isArray(value) ? value : [];
  const changed = !same(current, value);
  return (
    <Collapse
      className="cpe-filing-original-table"
      size="small"
      items={[
        {
          key: 'original',
          label: (
            <span>
              原方案{field.label}（{rows.length}行）
              {changed && (
                <Tag color="orange" className="cpe-filing-overdue">
                  已修改
                </Tag>
              )}
            </span>
          ),
          children: rows.length ? (
            <ReadonlyTable columns={field.columns ?? []} rows={rows} />
          ) : (
            <span className="cpe-muted">原方案未填写</span>
          ),
        },
      ]}
    />
  );
}

/** Keys of the server and of checkSectionDraft are `sectionId.field`; the form's names are the fields. */
function ownFields(sectionId: string, fields: Record<string, string> | undefined): Record<string, string> {
  const prefix = `${sectionId}.`;
  return Object.fromEntries(
    Object.entries(fields ?? {}).map(([k, m]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, m]),
  );
}

/**
 * One section of the 申报书, rendered from its definition: one form item per field (`data-field` =
 * `section.field`), its latest 修改意见 on top, its 修改意见记录 below, 保存并进入下一页 at the foot.
 * The form holds the values as the API stores them, so saving sends them as they are (PUT, partial values
 * allowed; the server checks what is typed).
 */
export function SectionForm({
  ref,
  detail,
  section,
  index,
  total,
  disabled,
  focusField,
  showMissing,
  onDirtyChange,
  onSaveAndNext,
  onPrev,
  original,
}: {
  ref?: Ref<SectionFormHandle>;
  detail: ApplicationDetail;
  section: SectionDef;
  index: number;
  total: number;
  disabled: boolean;
  /** A field to scroll to, focus and highlight (a link of the missing list). */
  focusField?: string;
  /** Show what a submission still lacks in this section on its fields. */
  showMissing: boolean;
  onDirtyChange: (dirty: boolean) => void;
  onSaveAndNext: (detail: ApplicationDetail) => void;
  onPrev?: () => void;
  /**
   * The approved values this section replaces (a 计划变化's 原方案), by field name: shown read-only under
   * each field, marked 已修改 when the new value differs.
   */
  original?: SectionValues;
}) {
  const { message } = App.useApp();
  const showApiError = useShowApiError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<SectionValues>();
  const save = useSaveSection();
  const [highlight, setHighlight] = useState(focusField);
  /** The server refused a field that may never change (APPLICATION_FIELD_LOCKED). */
  const [locked, setLocked] = useState<string | null>(null);
  const dirty = useRef(false);
  const saved = detail.data[section.id];
  const savedFileIds = useMemo(
    () =>
      new Set(
        section.fields
          .filter((f) => f.kind === 'files')
          .flatMap((f) => ((saved?.[f.name] as TAttachment[] | null | undefined) ?? []).map((a) => a.fileId)),
      ),
    [section, saved],
  );

  const setDirty = (v: boolean) => {
    if (dirty.current === v) return;
    dirty.current = v;
    onDirtyChange(v);
  };

  const showErrors = (errors: Record<string, string>, scroll: boolean) => {
    const names = new Set(section.fields.map((f) => f.name));
    const entries = Object.entries(errors).filter(([name]) => names.has(name));
    form.setFields(entries.map(([name, msg]) => ({ name, errors: [msg] })));
    const first = entries[0];
    if (scroll && first) form.scrollToField(first[0], { block: 'center', behavior: 'smooth' });
  };

  // Once, on arrival: the fields still missing, then the field a link pointed at.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only on mount; the section remounts per section
  useEffect(() => {
    if (showMissing) showErrors(ownFields(section.id, detail.missing), false);
    if (!focusField) return;
    const t = setTimeout(() => {
      form.scrollToField(focusField, { block: 'center' });
      form.focusField(focusField);
    }, 50);
    const off = setTimeout(() => setHighlight(undefined), 3000);
    return () => {
      clearTimeout(t);
      clearTimeout(off);
    };
  }, []);

  // Leaving the section (another section, the preview) drops its unsaved changes with it.
  useEffect(() => () => onDirtyChange(false), [onDirtyChange]);

  const doSave = async (): Promise<ApplicationDetail | null> => {
    const values = valuesOf(section, form.getFieldsValue(true));
    // On a phone a range is two pickers: half a range is a clearer message than the schema's 日期格式无效.
    const halfRange = section.fields.find((f) => {
      const v = values[f.name] as { from?: string; to?: string } | null;
      return f.kind === 'dateRange' && v && (!v.from || !v.to);
    });
    if (halfRange) {
      showErrors({ [halfRange.name]: `请选择完整的${halfRange.label}（开始和结束日期）` }, true);
      return null;
    }
    const local = checkSectionDraft(section, values);
    if (!local.ok) {
      showErrors(ownFields(section.id, local.errors), true);
      message.error(Object.values(local.errors)[0] ?? '请检查填写的内容');
      return null;
    }
    try {
      const next = await save.mutateAsync({ id: detail.id, sectionId: section.id, values });
      form.setFieldsValue(next.data[section.id] ?? {});
      setDirty(false);
      return next;
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'APPLICATION_FIELD_LOCKED') {
        setLocked(e.message);
        message.error(e.message);
        return null;
      }
      showApiError(
        e.fields
          ? new ApiError(e.status, { code: e.code, message: e.message, fields: ownFields(section.id, e.fields) })
          : e,
        form,
      );
      return null;
    }
  };
  useImperativeHandle(ref, () => ({ save: doSave }));

  const vertical = screens.md === false;
  const lastComment = detail.commentedSections.includes(section.id)
    ? commentRounds(detail.history, section.id)[0]?.comments[section.id]
    : undefined;

  return (
    <div className="cpe-app-section">
      <div className="cpe-app-section-head">
        <h2 className="cpe-app-section-title">{section.title}</h2>
        <span className="cpe-muted">
          第{index + 1}项，共{total}项
        </span>
      </div>
      {locked && (
        <Alert
          className="cpe-app-alert"
          type="error"
          showIcon
          closable={{ onClose: () => setLocked(null) }}
          title="该内容经批准后不能变更，未保存"
          description={locked}
        />
      )}
      {lastComment && (
        <Alert
          className="cpe-app-alert"
          type="warning"
          showIcon
          title="修改意见"
          description={<div className="cpe-app-pre">{lastComment}</div>}
        />
      )}
      <Form<SectionValues>
        form={form}
        name={`section-${section.id}`}
        // A div, not a <form>: Enter in a field must not submit (the browser's implicit submission).
        component="div"
        role="form"
        aria-label={section.title}
        className="cpe-app-form"
        layout={vertical ? 'vertical' : 'horizontal'}
        labelCol={vertical ? undefined : { flex: '0 0 152px' }}
        labelWrap
        wrapperCol={vertical ? undefined : { flex: '1 1 0' }}
        initialValues={saved ?? {}}
        disabled={disabled}
        onValuesChange={(changed: SectionValues) => {
          setDirty(true);
          // The fields have no client rules: a message set from the server or the missing list stays until
          // the field is changed.
          form.setFields(Object.keys(changed).map((name) => ({ name, errors: [] })));
        }}
      >
        {section.fields.map((f) => {
          const hasOriginal = Boolean(original && f.name in original);
          const extra =
            (hasOriginal && f.kind !== 'table') || isSchedule(f) ? (
              <>
                {f.help && <div>{f.help}</div>}
                {hasOriginal && f.kind !== 'table' && (
                  <OriginalValue form={form} field={f} value={original?.[f.name]} />
                )}
                {isSchedule(f) && <ScheduleHours form={form} name={f.name} />}
              </>
            ) : (
              f.help
            );
          return (
            <Fragment key={f.name}>
              {hasOriginal && f.kind === 'table' && <OriginalTable form={form} field={f} value={original?.[f.name]} />}
              <Form.Item
                name={f.name}
                label={f.label}
                required={f.required}
                extra={extra}
                // A table, a file list or the 学员名单 takes the whole width under its label.
                {...(wide(f) ? WIDE_ITEM : undefined)}
                className={highlight === f.name ? 'cpe-app-field is-highlight' : 'cpe-app-field'}
                data-field={`${section.id}.${f.name}`}
              >
                <FieldInput field={f} applicationId={detail.id} savedFileIds={savedFileIds} />
              </Form.Item>
            </Fragment>
          );
        })}
      </Form>
      <ReviewCommentsRecord history={detail.history} sectionId={section.id} />
      <div className="cpe-app-section-foot">
        {onPrev && <Button onClick={onPrev}>上一页</Button>}
        <Button
          type="primary"
          loading={save.isPending}
          disabled={disabled}
          onClick={async () => {
            const next = await doSave();
            if (next) onSaveAndNext(next);
          }}
        >
          保存并进入下一页
        </Button>
      </div>
    </div>
  );
}
