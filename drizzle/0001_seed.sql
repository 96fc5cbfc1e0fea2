-- The seed's vocabulary: product type "VPS" with its "Operating system" parameter (ostempl).
INSERT INTO "product_types" ("name") VALUES ('VPS') ON CONFLICT ("name") DO NOTHING;
--> statement-breakpoint
INSERT INTO "parameters" ("product_type_id", "name", "internal_name")
SELECT "id", 'Operating system', 'ostempl' FROM "product_types" WHERE "name" = 'VPS'
ON CONFLICT ("product_type_id", "internal_name") DO NOTHING;
