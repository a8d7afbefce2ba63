/**
 * A native <select> dressed like a large antd input, for short fixed lists (证件类型). Phones show their own
 * picker, and it spares the first pages antd Select's virtual list (about 30 KB gzipped).
 */
export function NativeSelect({
  id,
  value,
  onChange,
  options,
  'aria-invalid': invalid,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  'aria-invalid'?: boolean | 'true' | 'false';
}) {
  return (
    <select
      id={id}
      className="cpe-native-select"
      value={value}
      aria-invalid={invalid}
      onChange={(e) => onChange?.(e.target.value)}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
