/**
 * 在线学习中心: one list for the top navigation's dropdown and the learner centre's side menu (and its chips on a
 * phone), so a page cannot be live in one and greyed out in the other.
 */
export interface LearningCentreItem {
  key:
    | 'gxkm'
    | 'orders'
    | 'group-orders'
    | 'invoices'
    | 'makeup'
    | 'study'
    | 'certificates'
    | 'credits'
    | 'mobile-study';
  to: string;
  label: string;
  /** In the header's 在线学习中心 ▾ dropdown. */
  nav: boolean;
  /** In the side menu of 我的订单 / 团购订单 / 我的发票 / 补学申请 (pages for a signed-in person). */
  side: boolean;
}

export const LEARNING_CENTRE: readonly LearningCentreItem[] = [
  { key: 'gxkm', to: '/gxkm', label: '公需科目', nav: true, side: false },
  { key: 'orders', to: '/orders', label: '我的订单', nav: false, side: true },
  { key: 'group-orders', to: '/orders?kind=group', label: '团购订单', nav: false, side: true },
  { key: 'invoices', to: '/invoices', label: '我的发票', nav: false, side: true },
  { key: 'makeup', to: '/makeup', label: '补学申请', nav: true, side: true },
  { key: 'study', to: '/study', label: '课程培训', nav: true, side: true },
  { key: 'certificates', to: '/certificates', label: '我的证书', nav: true, side: true },
  // 学时档案 is under 继续教育 in the header (continuingEducation below), and beside 我的证书 in the side menu.
  { key: 'credits', to: '/credits', label: '学时档案', nav: false, side: true },
  { key: 'mobile-study', to: '/mobile-study', label: '手机学习', nav: true, side: false },
];

const CREDITS = LEARNING_CENTRE.find((m) => m.key === 'credits') as LearningCentreItem;

/**
 * 继续教育 (seed: 首页 → 继续教育 → 注册管理员 / 单位中心): 单位中心 for an approved unit administrator, else 注册管理员
 * (signed out, it asks for a login first); then, for a signed-in person, 学时档案 (the year's 学时 against the 90
 * required). The same list is the 菜单 panel's on a phone.
 */
export function continuingEducation(me: { unitAdmin: boolean } | null | undefined) {
  const unit = me?.unitAdmin
    ? { key: 'unit-center', to: '/unit-center', label: '单位中心' }
    : { key: 'units-register', to: '/units/register', label: '注册管理员' };
  return me ? [unit, { key: CREDITS.key, to: CREDITS.to, label: CREDITS.label }] : [unit];
}

/** Pages under 继续教育: the header marks it as the current section there. */
export const CONTINUING_EDUCATION_PATHS = ['/unit-center', '/units/register', CREDITS.to];
