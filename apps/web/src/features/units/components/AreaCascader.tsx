import { Cascader } from 'antd';
import { useMemo } from 'react';
import { type AreaOption, areaOptions, countyPath, pathOfPrefix, prefixOfPath } from '../areas';

interface Props {
  id?: string;
  /** A 6-digit county code, or (anyLevel) a 2, 4 or 6-digit prefix. */
  value?: string;
  onChange?: (value: string | undefined) => void;
  /** Filters: a province or a city is a choice too (the value is then its prefix). */
  anyLevel?: boolean;
  disabled?: boolean;
  placeholder?: string;
  size?: 'small' | 'middle' | 'large';
  'aria-invalid'?: boolean | 'true' | 'false';
}

const search = {
  filter: (input: string, path: AreaOption[]) => path.some((o) => o.label.includes(input.trim())),
  limit: 50,
};

/** 省份/直辖市 → 城市 → 区县 as one antd Cascader whose form value is the code, not the path. */
export function AreaCascader({
  id,
  value,
  onChange,
  anyLevel,
  disabled,
  placeholder = '请选择',
  size,
  ...rest
}: Props) {
  const options = useMemo(areaOptions, []);
  const path = anyLevel ? pathOfPrefix(value) : countyPath(value);
  return (
    <Cascader<AreaOption>
      id={id}
      options={options}
      value={path}
      onChange={(p) => {
        const codes = p as string[] | undefined;
        if (anyLevel) onChange?.(prefixOfPath(codes));
        else onChange?.(codes && codes.length === 3 ? codes[2] : undefined);
      }}
      changeOnSelect={anyLevel}
      showSearch={search}
      disabled={disabled}
      placeholder={placeholder}
      size={size}
      allowClear
      aria-invalid={rest['aria-invalid']}
      style={{ width: '100%' }}
      displayRender={(labels) => labels.filter((l, i) => i === 0 || (l !== labels[i - 1] && l !== '县')).join(' / ')}
    />
  );
}
