import {
  ID_TYPE_LABELS,
  ID_TYPES,
  type IdType,
  idDocumentMessage,
  normalizeIdDocument,
  validateIdDocument,
} from '@cpe/shared/validators/id-document';
import { Form, type FormInstance, type FormRule, Input, Select } from 'antd';
import { NativeSelect } from '../../../shared/form/NativeSelect';
import { nationalityOptions } from '../nationality';

/** What the number field asks for, per 证件类型. */
export const ID_NUMBER_PLACEHOLDERS: Record<IdType, string> = {
  idCard: '请输入您的身份证号码',
  hkMacaoResidence: '请输入18位港澳居民居住证号码',
  taiwanResidence: '请输入18位台湾居民居住证号码',
  foreignPermanent: '请输入外国人永久居留身份证号码',
  passport: '请输入护照号码',
};

const TYPE_OPTIONS = ID_TYPES.map((t) => ({ value: t, label: ID_TYPE_LABELS[t] }));

/** The number checked by the rules of the chosen type, with the same messages the server gives. */
const idNumberRule: FormRule = ({ getFieldValue }) => ({
  required: true,
  validator: async (_rule, value: string | undefined) => {
    const type = (getFieldValue('idType') as IdType | undefined) ?? 'idCard';
    const number = normalizeIdDocument(value ?? '');
    const error = validateIdDocument(type, number);
    if (error) throw new Error(idDocumentMessage(type, error, number));
  },
});

/**
 * 证件类型 + 证件号码 (+ 国籍 for a 护照) as form items named idType, idNumber, nationality: registration, its
 * correction step and the 重新提交 of a 人工实名审核 ask for a document the same way.
 */
export function IdDocumentFields({ form }: { form: FormInstance }) {
  const idType = (Form.useWatch('idType', form) as IdType | undefined) ?? 'idCard';
  return (
    <>
      <Form.Item label="证件类型" name="idType" rules={[{ required: true, message: '请选择证件类型' }]}>
        <NativeSelect options={TYPE_OPTIONS} />
      </Form.Item>
      <Form.Item label="证件号码" name="idNumber" dependencies={['idType']} rules={[idNumberRule]}>
        <Input placeholder={ID_NUMBER_PLACEHOLDERS[idType]} maxLength={18} autoComplete="off" spellCheck={false} />
      </Form.Item>
      {idType === 'passport' && (
        <Form.Item label="国籍" name="nationality" rules={[{ required: true, message: '请选择护照签发国（国籍）' }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={nationalityOptions()}
            placeholder="请选择或输入国籍（护照签发国）"
            aria-label="国籍"
          />
        </Form.Item>
      )}
    </>
  );
}

/** The document as the API takes it: 国籍 only with a 护照. */
export function idDocumentBody(v: { idType: IdType; idNumber: string; nationality?: string | null }) {
  return {
    idType: v.idType,
    idNumber: normalizeIdDocument(v.idNumber),
    ...(v.idType === 'passport' ? { nationality: v.nationality ?? '' } : {}),
  };
}
