-- 学时档案: every 公需科目 合格证书 already issued adds its 学时 as 公需科目 in its plan's year (new ones do so when
-- issued, certificates.service.ts); a revoked one is recorded as revoked. Holders without an ID number hash
-- (none are issued certificates today) are left out, as the service does.
INSERT INTO "credit_entries" ("id_hash", "year", "category", "form", "title", "hours", "source", "source_id", "status", "created_at")
SELECT a."id_number_hash", c."year", 'public', '网络学习', c."plan_name", c."hours", 'gxkm-certificate', c."id",
       CASE WHEN c."status" = 'valid' THEN 'confirmed' ELSE 'revoked' END, c."issued_at"
FROM "certificates" c
JOIN "accounts" a ON a."id" = c."account_id"
WHERE a."id_number_hash" IS NOT NULL
ON CONFLICT ("source", "source_id") DO NOTHING;
