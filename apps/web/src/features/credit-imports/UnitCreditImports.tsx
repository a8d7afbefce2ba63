import { CreditImportWorkspace } from './CreditImportWorkspace';

/** 单位中心 › 学时批量导入 (a 继续教育基地 in its 有效期): its own classes' 学时, 待认定 until the district recognises them. */
export function UnitCreditImports() {
  return (
    <div className="cpe-unit-center-section">
      <h2 className="cpe-unit-center-title">学时批量导入</h2>
      <CreditImportWorkspace scope="unit-center" />
    </div>
  );
}
