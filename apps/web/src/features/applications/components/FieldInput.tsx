import { FEN_PER_WAN, type FieldDef, type TAttachment, wanToFen } from '@cpe/shared/applications/index';
import { Checkbox, DatePicker, Grid, Input, InputNumber, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { TraineeListEditor } from '../../seminars/TraineeListEditor';
import { DAY, DateInput, type FieldControlProps, toDay } from './controls';
import { FilesInput } from './FilesInput';
import { TableInput } from './TableInput';

function NumberInput({ field, id, value, onChange, disabled }: FieldControlProps<number> & { field: FieldDef }) {
  const isWan = field.kind === 'wan';
  const unit = isWan ? '万元' : field.unit;
  const input = (
    <InputNumber<number>
      id={id}
      className="cpe-app-number-input"
      value={value === null || value === undefined ? null : isWan ? value / FEN_PER_WAN : value}
      onChange={(v) => onChange?.(v === null ? null : isWan ? wanToFen(v) : v)}
      precision={isWan ? 2 : 0}
      min={isWan ? 0 : (field.min ?? 0)}
      max={field.max}
      placeholder={`请输入${field.label}`}
      disabled={disabled}
      // The browser's number keyboard on phones; digits and a decimal point are all these take.
      inputMode={isWan ? 'decimal' : 'numeric'}
    />
  );
  if (!unit) return <div className="cpe-app-number">{input}</div>;
  return (
    <Space.Compact className="cpe-app-number">
      {input}
      <Space.Addon>{unit}</Space.Addon>
    </Space.Compact>
  );
}

type Range = { from: string; to: string };

/** 举办时间: one range picker; on a phone two date pickers, since the range panel is wider than the screen. */
function DateRangeInput({ id, value, onChange, disabled }: FieldControlProps<Range>) {
  const screens = Grid.useBreakpoint();
  const from = toDay(value?.from);
  const to = toDay(value?.to);
  const emit = (a: Dayjs | null, b: Dayjs | null) =>
    onChange?.(a || b ? { from: a?.format(DAY) ?? '', to: b?.format(DAY) ?? '' } : null);
  if (screens.sm === false)
    return (
      <div className="cpe-app-range-split" id={id}>
        <DatePicker
          value={from}
          onChange={(d) => emit(d, to)}
          placeholder="开始日期"
          disabled={disabled}
          inputReadOnly
          aria-label="开始日期"
        />
        <span className="cpe-muted">至</span>
        <DatePicker
          value={to}
          onChange={(d) => emit(from, d)}
          placeholder="结束日期"
          disabled={disabled}
          inputReadOnly
          aria-label="结束日期"
          minDate={from ?? undefined}
        />
      </div>
    );
  return (
    <DatePicker.RangePicker
      id={id}
      className="cpe-app-range"
      value={[from, to]}
      onChange={(dates) => emit(dates?.[0] ?? null, dates?.[1] ?? null)}
      placeholder={['开始日期', '结束日期']}
      disabled={disabled}
    />
  );
}

/**
 * One input per field kind of the definition. A new application type needs no code here unless it brings
 * a new kind.
 */
export function FieldInput({
  field,
  applicationId,
  savedFileIds,
  ...control
}: FieldControlProps<unknown> & {
  field: FieldDef;
  applicationId: string;
  /** Attachments already saved in the section (only those can be downloaded yet). */
  savedFileIds: ReadonlySet<string>;
}) {
  const { id, disabled } = control;
  const text = typeof control.value === 'string' ? control.value : '';
  const onText = (v: string) => control.onChange?.(v);
  const placeholder = field.placeholder ?? `请输入${field.label}`;
  switch (field.kind) {
    case 'text':
      return (
        <Input
          id={id}
          value={text}
          onChange={(e) => onText(e.target.value)}
          maxLength={field.max ?? 100}
          placeholder={placeholder}
          disabled={disabled}
        />
      );
    case 'textarea':
      return (
        <Input.TextArea
          id={id}
          value={text}
          onChange={(e) => onText(e.target.value)}
          maxLength={field.max ?? 2000}
          showCount
          autoSize={{ minRows: 4, maxRows: 14 }}
          placeholder={placeholder}
          disabled={disabled}
        />
      );
    case 'phone':
      return (
        <Input
          id={id}
          className="cpe-app-short"
          value={text}
          onChange={(e) => onText(e.target.value)}
          maxLength={20}
          inputMode="tel"
          autoComplete="tel"
          placeholder={field.placeholder ?? '手机号或区号-座机号'}
          disabled={disabled}
        />
      );
    case 'bankAccount':
      return (
        <Input
          id={id}
          className="cpe-app-medium"
          value={text}
          onChange={(e) => onText(e.target.value)}
          maxLength={40}
          inputMode="numeric"
          autoComplete="off"
          placeholder={placeholder}
          disabled={disabled}
        />
      );
    case 'wan':
    case 'int':
      return <NumberInput field={field} {...(control as FieldControlProps<number>)} />;
    case 'date':
      return <DateInput {...(control as FieldControlProps<string>)} placeholder={`请选择${field.label}`} />;
    case 'dateRange':
      return <DateRangeInput {...(control as FieldControlProps<Range>)} />;
    case 'table':
      return <TableInput field={field} {...(control as FieldControlProps<Record<string, unknown>[]>)} />;
    case 'files':
      return (
        <FilesInput
          field={field}
          applicationId={applicationId}
          savedFileIds={savedFileIds}
          {...(control as FieldControlProps<TAttachment[]>)}
        />
      );
    case 'select':
      return (
        <Select
          id={id}
          className="cpe-filing-select"
          value={text || undefined}
          onChange={(v: string | undefined) => control.onChange?.(v ?? '')}
          options={(field.options ?? []).map((o) => ({ value: o, label: o }))}
          placeholder={field.placeholder ?? `请选择${field.label}`}
          allowClear
          disabled={disabled}
        />
      );
    case 'checks':
      return (
        <div id={id} tabIndex={-1} className="cpe-app-table-input">
          <Checkbox.Group
            value={Array.isArray(control.value) ? (control.value as string[]) : []}
            // In the definition's order, whatever order they were ticked in.
            onChange={(v) => control.onChange?.((field.options ?? []).filter((o) => v.includes(o)))}
            options={(field.options ?? []).map((o) => ({ value: o, label: o }))}
            disabled={disabled}
          />
        </div>
      );
    case 'trainees':
      // The rows live in their own table and are edited there; the section holds only the server's totals.
      return (
        <div id={id} tabIndex={-1} className="cpe-app-table-input">
          <TraineeListEditor applicationId={applicationId} editable={!disabled} />
        </div>
      );
  }
}
