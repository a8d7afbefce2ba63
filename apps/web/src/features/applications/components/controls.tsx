import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

export const DAY = 'YYYY-MM-DD';
export const toDay = (s: unknown): Dayjs | null => (typeof s === 'string' && s ? dayjs(s, DAY) : null);

/**
 * The props antd's Form.Item hands its child. Values are kept exactly as the API stores them (money in fen,
 * dates as YYYY-MM-DD strings), so a section's form values are the body of PUT …/sections/:sectionId.
 */
export interface FieldControlProps<V> {
  id?: string;
  value?: V | null;
  onChange?: (value: V | null) => void;
  disabled?: boolean;
}

export function DateInput({
  id,
  value,
  onChange,
  disabled,
  placeholder,
  ariaLabel,
}: FieldControlProps<string> & { placeholder?: string; ariaLabel?: string }) {
  return (
    <DatePicker
      id={id}
      className="cpe-app-date"
      value={toDay(value)}
      onChange={(d) => onChange?.(d ? d.format(DAY) : '')}
      placeholder={placeholder ?? '请选择日期'}
      disabled={disabled}
      aria-label={ariaLabel}
    />
  );
}
