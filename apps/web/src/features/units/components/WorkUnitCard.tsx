import type { TUnitMemberStatus, TWorkUnitLink, TWorkUnitOption } from '@cpe/shared/schemas/unit-members';
import { Alert, App, Button, Card, Popconfirm, Select, Spin, Tag } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { errorCode, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { useDebounced } from '../hooks';
import { useMyWorkUnit, useWorkUnitAction, useWorkUnitSearch } from '../members-api';
import '../members.css';

const STATUS_COLORS: Record<TUnitMemberStatus, string> = {
  pending: 'processing',
  confirmed: 'success',
  declined: 'error',
  cancelled: 'default',
  left: 'default',
};

/** History rows shown before 展开全部. */
const HISTORY_FOLDED = 3;

/** When a past link ended, and what that moment is called. */
function endedAt(l: TWorkUnitLink): string {
  if (l.status === 'left') return l.leftAt ? `离开时间 ${formatDateTime(l.leftAt)}` : '';
  if (l.status === 'declined') return l.decidedAt ? `拒绝时间 ${formatDateTime(l.decidedAt)}` : '';
  if (l.status === 'cancelled') return l.decidedAt ? `撤回时间 ${formatDateTime(l.decidedAt)}` : '';
  return '';
}

type UnitOption = { value: string; label: string; disabled?: boolean; unit: TWorkUnitOption };

/** 查找单位 (name or 统一社会信用代码, searched on the server as one types) and 申请加入. */
function WorkUnitSearch({
  currentUnitId,
  busy,
  onApply,
}: {
  currentUnitId: string | undefined;
  busy: boolean;
  onApply: (unit: TWorkUnitOption) => Promise<boolean>;
}) {
  const [search, setSearch] = useState('');
  const keyword = useDebounced(search.trim(), 300);
  const found = useWorkUnitSearch(keyword);
  const [chosen, setChosen] = useState<TWorkUnitOption | null>(null);

  const options = useMemo(() => {
    const items = keyword.length >= 2 ? (found.data?.items ?? []) : [];
    const list: UnitOption[] = items.map((u) => ({
      value: u.id,
      label: u.name,
      disabled: u.id === currentUnitId,
      unit: u,
    }));
    // The chosen unit keeps its name in the field while another search runs.
    if (chosen && !list.some((o) => o.value === chosen.id))
      list.unshift({ value: chosen.id, label: chosen.name, unit: chosen });
    return list;
  }, [keyword, found.data, chosen, currentUnitId]);

  const typing = search.trim() !== keyword;
  const notFound =
    search.trim().length < 2 ? (
      <span className="cpe-muted">请输入至少2个字的单位名称或统一社会信用代码</span>
    ) : typing || found.isFetching ? (
      <Spin size="small" />
    ) : found.isError ? (
      <span className="cpe-work-unit-error">{toApiError(found.error).message}</span>
    ) : (
      <span className="cpe-muted">未找到审核通过的单位，请核对单位名称</span>
    );

  const apply = async () => {
    if (!chosen) return;
    if (await onApply(chosen)) {
      setChosen(null);
      setSearch('');
    }
  };

  return (
    <div className="cpe-work-unit-search">
      <Select<string, UnitOption>
        className="cpe-work-unit-select"
        aria-label="查找单位"
        placeholder="输入单位名称或统一社会信用代码查找"
        showSearch={{ filterOption: false, onSearch: setSearch, searchValue: search }}
        value={chosen?.id}
        options={options}
        allowClear
        onClear={() => setChosen(null)}
        onChange={(id, option) => {
          const picked = Array.isArray(option) ? undefined : option?.unit;
          setChosen(id ? (picked ?? null) : null);
          setSearch('');
        }}
        notFoundContent={notFound}
        optionRender={(o) => (
          <div className="cpe-work-unit-option">
            <div className="cpe-work-unit-option-name">
              {o.data.unit.name}
              {o.data.disabled && <span className="cpe-muted">（当前单位）</span>}
            </div>
            <div className="cpe-muted-note">
              {o.data.unit.locatedAreaLabel} · {o.data.unit.uscc}
            </div>
          </div>
        )}
      />
      <Button type="primary" disabled={!chosen} loading={busy} onClick={apply}>
        申请加入
      </Button>
    </div>
  );
}

/** One link: the unit, its status, a time, and an action. */
function LinkRow({ link, time, action }: { link: TWorkUnitLink; time: string; action?: ReactNode }) {
  return (
    <div className="cpe-work-unit-link" data-testid={`work-unit-${link.status}`}>
      <div className="cpe-work-unit-text">
        <div className="cpe-work-unit-name">
          {link.unitName} <Tag color={STATUS_COLORS[link.status]}>{link.statusLabel}</Tag>
        </div>
        <div className="cpe-muted-note">{time}</div>
      </div>
      {action}
    </div>
  );
}

/**
 * 个人中心 → 工作单位: the unit the person belongs to (退出单位), the request waiting for the unit's administrator
 * (撤回申请), or a search to 申请加入 one (also to change units), and the links before.
 */
export function WorkUnitCard() {
  const mine = useMyWorkUnit();
  const act = useWorkUnitAction();
  const { message } = App.useApp();
  const [changing, setChanging] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);

  const run = async (
    a: { action: 'request'; unitId: string } | { action: 'cancel' } | { action: 'leave' },
    done: string,
  ): Promise<boolean> => {
    try {
      await act.mutateAsync(a);
      message.success(done);
      setChanging(false);
      return true;
    } catch (err) {
      message.error(toApiError(err).message);
      // Changed meanwhile (the unit decided, another tab): show what is now so.
      if (errorCode(err)?.startsWith('MEMBER_')) void mine.refetch();
      return false;
    }
  };

  let body: ReactNode;
  if (mine.isError)
    body = (
      <Alert
        type="error"
        showIcon
        title={toApiError(mine.error).message}
        action={
          <Button size="small" onClick={() => mine.refetch()}>
            重试
          </Button>
        }
      />
    );
  else if (mine.data) {
    const { current, pending, history } = mine.data;
    const searching = !pending && (!current || changing);
    const shownHistory = historyOpen ? history : history.slice(0, HISTORY_FOLDED);
    body = (
      <>
        {current && (
          <LinkRow
            link={current}
            time={`加入时间 ${formatDateTime(current.joinedAt)}`}
            action={
              <Popconfirm
                title={`退出${current.unitName}？`}
                description="退出后该单位不能再查看您的学时档案，如需重新加入须再次申请。"
                okText="退出单位"
                okButtonProps={{ danger: true }}
                cancelText="取消"
                onConfirm={() => run({ action: 'leave' }, `已退出${current.unitName}`)}
              >
                <Button danger loading={act.isPending && act.variables?.action === 'leave'}>
                  退出单位
                </Button>
              </Popconfirm>
            }
          />
        )}
        {pending && (
          <LinkRow
            link={pending}
            time={`申请时间 ${formatDateTime(pending.requestedAt)}`}
            action={
              <Popconfirm
                title="撤回加入申请？"
                description={`撤回后${pending.unitName}将不再看到这条申请。`}
                okText="撤回申请"
                cancelText="取消"
                onConfirm={() => run({ action: 'cancel' }, '已撤回申请')}
              >
                <Button loading={act.isPending && act.variables?.action === 'cancel'}>撤回申请</Button>
              </Popconfirm>
            }
          />
        )}
        {!current && !pending && (
          <p className="cpe-work-unit-empty">您尚未加入工作单位，可查找您所在的单位并申请加入。</p>
        )}
        {current && !pending && !changing && (
          <Button type="link" className="cpe-work-unit-change" onClick={() => setChanging(true)}>
            更换单位
          </Button>
        )}
        {searching && (
          <>
            <WorkUnitSearch
              currentUnitId={current?.unitId}
              busy={act.isPending && act.variables?.action === 'request'}
              onApply={(u) => run({ action: 'request', unitId: u.id }, `已提交加入${u.name}的申请，请等待单位确认`)}
            />
            {changing && (
              <Button type="link" className="cpe-work-unit-change" onClick={() => setChanging(false)}>
                取消更换
              </Button>
            )}
          </>
        )}
        <p className="cpe-muted-note cpe-work-unit-note">
          申请由单位管理员在“单位中心 → 单位人员”中确认；确认后单位可以查看您的学时档案。
          {current && (pending || changing) ? '新单位确认后，将自动退出当前单位。' : ''}
        </p>
        {history.length > 0 && (
          <div className="cpe-work-unit-history">
            <div className="cpe-work-unit-history-title">历史记录</div>
            <ul>
              {shownHistory.map((l) => (
                <li key={l.id}>
                  <div className="cpe-work-unit-name">
                    {l.unitName} <Tag color={STATUS_COLORS[l.status]}>{l.statusLabel}</Tag>
                  </div>
                  <div className="cpe-muted-note cpe-work-unit-times">
                    <span>申请时间 {formatDateTime(l.requestedAt)}</span>
                    {endedAt(l) && <span>{endedAt(l)}</span>}
                  </div>
                  {l.reason && <div className="cpe-work-unit-reason">原因：{l.reason}</div>}
                </li>
              ))}
            </ul>
            {history.length > HISTORY_FOLDED && (
              <Button type="link" size="small" onClick={() => setHistoryOpen((o) => !o)}>
                {historyOpen ? '收起' : `展开全部（${history.length}条）`}
              </Button>
            )}
          </div>
        )}
      </>
    );
  }

  return (
    <Card title="工作单位" id="work-unit" className="cpe-me-card cpe-work-unit" loading={mine.isPending}>
      {body}
    </Card>
  );
}
