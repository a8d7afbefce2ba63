import { checkSectionDraft, type SectionDef, type TAttachment } from '@cpe/shared/applications/index';
import { Alert, App, Button, Form, Grid } from 'antd';
import { type Ref, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useSaveSection } from '../api';
import type { ApplicationDetail, SectionValues } from '../types';
import { FieldInput } from './FieldInput';
import { commentRounds, ReviewCommentsRecord } from './ReviewCommentsRecord';
import '../applications.css';

const WIDE_ITEM = { layout: 'vertical', labelCol: { span: 24 }, wrapperCol: { span: 24 } } as const;

export interface SectionFormHandle {
  /** Saves the section as it stands; the new detail, or null when it could not be saved (errors shown). */
  save: () => Promise<ApplicationDetail | null>;
}

/** Every field of the section, blank ones as null: a cleared field must overwrite what was saved. */
function valuesOf(section: SectionDef, raw: SectionValues): SectionValues {
  return Object.fromEntries(section.fields.map((f) => [f.name, raw[f.name] ?? null]));
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
}) {
  const { message } = App.useApp();
  const showApiError = useShowApiError();
  const screens = Grid.useBreakpoint();
  const [form] = Form.useForm<SectionValues>();
  const save = useSaveSection();
  const [highlight, setHighlight] = useState(focusField);
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
        {section.fields.map((f) => (
          <Form.Item
            key={f.name}
            name={f.name}
            label={f.label}
            required={f.required}
            extra={f.help}
            // A table or a file list takes the whole width under its label, whatever the form's layout.
            {...(f.kind === 'table' || f.kind === 'files' ? WIDE_ITEM : undefined)}
            className={highlight === f.name ? 'cpe-app-field is-highlight' : 'cpe-app-field'}
            data-field={`${section.id}.${f.name}`}
          >
            <FieldInput field={f} applicationId={detail.id} savedFileIds={savedFileIds} />
          </Form.Item>
        ))}
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
