import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { type ColumnDef, FEN_PER_WAN, type FieldDef, wanToFen } from '@cpe/shared/applications/index';
import { Button, Form, Input, InputNumber, Select, Table, type TableColumnsType } from 'antd';
import { DateInput, type FieldControlProps } from './controls';

/** Cells as stored: text, a date, an option, or a number ('' when blank; `wan` in fen). */
type Row = Record<string, unknown>;

const textOf = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const numberOf = (v: unknown) => (typeof v === 'number' ? v : null);

/** 序号: narrow, so a 1280 px page fits the 日程安排 table (six columns) without scrolling sideways. */
const INDEX_WIDTH = 48;
const emptyRow = (columns: ColumnDef[]): Row => Object.fromEntries(columns.map((c) => [c.name, '']));

/** 日程安排, 授课专家: an editable table with the definition's columns, 添加一行 and 删除 per row. */
export function TableInput({ field, id, value, onChange, disabled }: FieldControlProps<Row[]> & { field: FieldDef }) {
  const columns = field.columns ?? [];
  const rows = value ?? [];
  const maxRows = field.max ?? 50;
  const setCell = (index: number, name: string, v: unknown) =>
    onChange?.(rows.map((r, i) => (i === index ? { ...r, [name]: v } : r)));

  const tableColumns: TableColumnsType<Row> = [
    {
      key: 'index',
      title: '序号',
      width: INDEX_WIDTH,
      align: 'center',
      render: (_v, _r, i) => i + 1,
    },
    ...columns.map((c): TableColumnsType<Row>[number] => ({
      key: c.name,
      title: c.required ? <span className="cpe-app-required">{c.label}</span> : c.label,
      width: c.width,
      // Columns without a width share what is left, but never below a readable size on a phone.
      onCell: () => ({ style: c.width ? undefined : { minWidth: 160 } }),
      render: (_v, row, i) => {
        const label = `第${i + 1}行${c.label}`;
        if (c.kind === 'select')
          return (
            <Select
              className="cpe-filing-cell-select"
              value={textOf(row[c.name]) || undefined}
              onChange={(v: string | undefined) => setCell(i, c.name, v ?? '')}
              options={(c.options ?? []).map((o) => ({ value: o, label: o }))}
              placeholder="请选择"
              allowClear
              disabled={disabled}
              aria-label={label}
            />
          );
        if (c.kind === 'int' || c.kind === 'wan') {
          const wan = c.kind === 'wan';
          const n = numberOf(row[c.name]);
          return (
            <InputNumber<number>
              className="cpe-filing-cell-number"
              // 万元 typed with two decimals, stored in fen, as the 预计费用 field does.
              value={n === null ? null : wan ? n / FEN_PER_WAN : n}
              onChange={(v) => setCell(i, c.name, v === null ? '' : wan ? wanToFen(v) : v)}
              precision={wan ? 2 : 0}
              min={0}
              max={c.max}
              placeholder={wan ? '万元' : '请输入'}
              inputMode={wan ? 'decimal' : 'numeric'}
              disabled={disabled}
              aria-label={label}
            />
          );
        }
        if (c.kind === 'date')
          return (
            <DateInput
              value={textOf(row[c.name])}
              onChange={(v) => setCell(i, c.name, v ?? '')}
              disabled={disabled}
              placeholder="选择日期"
              ariaLabel={label}
            />
          );
        if (c.kind === 'textarea')
          return (
            <Input.TextArea
              value={textOf(row[c.name])}
              onChange={(e) => setCell(i, c.name, e.target.value)}
              maxLength={c.max}
              autoSize={{ minRows: 1, maxRows: 6 }}
              disabled={disabled}
              aria-label={label}
            />
          );
        return (
          <Input
            value={textOf(row[c.name])}
            onChange={(e) => setCell(i, c.name, e.target.value)}
            maxLength={c.max}
            disabled={disabled}
            aria-label={label}
          />
        );
      },
    })),
    {
      key: 'actions',
      title: '操作',
      width: 72,
      align: 'center',
      // In view while a wide table scrolls sideways.
      fixed: 'right',
      render: (_v, _r, i) => (
        <Button
          type="link"
          danger
          size="small"
          icon={<DeleteOutlined />}
          disabled={disabled}
          aria-label={`删除第${i + 1}行`}
          onClick={() => onChange?.(rows.filter((_r2, j) => j !== i))}
        >
          删除
        </Button>
      ),
    },
  ];
  const scrollX = INDEX_WIDTH + 72 + columns.reduce((sum, c) => sum + (c.width ?? 160), 0);

  return (
    // Focus target when a link of the missing list points here (a table has no single input).
    <div className="cpe-app-table-input" id={id} tabIndex={-1}>
      {/* The cells are not the field: the field's error is shown once, under the table, not on every cell. */}
      <Form.Item noStyle validateStatus="">
        <Table<Row>
          size="small"
          bordered
          pagination={false}
          // Rows have no identity of their own: their position is their key.
          rowKey={(row) => String(rows.indexOf(row))}
          columns={tableColumns}
          dataSource={rows}
          scroll={{ x: scrollX }}
          locale={{ emptyText: '暂无内容，请点击“添加一行”填写' }}
        />
      </Form.Item>
      <Button
        className="cpe-app-table-add"
        type="dashed"
        block
        icon={<PlusOutlined />}
        disabled={disabled || rows.length >= maxRows}
        onClick={() => onChange?.([...rows, emptyRow(columns)])}
      >
        添加一行
      </Button>
      {rows.length >= maxRows && <div className="cpe-muted">最多{maxRows}行</div>}
    </div>
  );
}
