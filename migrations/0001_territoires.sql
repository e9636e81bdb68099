CREATE TABLE "adresse" (
	"id" text PRIMARY KEY NOT NULL,
	"numero" integer,
	"rep" text,
	"nom_voie" text NOT NULL,
	"voie_cle" text NOT NULL,
	"code_postal" text,
	"code_insee" text NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"import_id" uuid
);
--> statement-breakpoint
CREATE TABLE "import_geo" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"fichier" text NOT NULL,
	"sha256" text NOT NULL,
	"statut" text NOT NULL,
	"total" integer,
	"traites" integer DEFAULT 0 NOT NULL,
	"ajoutes" integer DEFAULT 0 NOT NULL,
	"modifies" integer DEFAULT 0 NOT NULL,
	"inchanges" integer DEFAULT 0 NOT NULL,
	"message" text,
	"erreur_ligne" integer,
	"erreur_colonne" text,
	"par_id" uuid,
	"par_libelle" text NOT NULL,
	"debut" timestamp with time zone DEFAULT now() NOT NULL,
	"fin" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "territoire_lien" (
	"parent_id" uuid NOT NULL,
	"enfant_id" uuid NOT NULL,
	"source" text NOT NULL,
	CONSTRAINT "territoire_lien_parent_id_enfant_id_pk" PRIMARY KEY("parent_id","enfant_id")
);
--> statement-breakpoint
CREATE TABLE "territoire_valeur" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contrat_id" uuid NOT NULL,
	"territoire_id" uuid NOT NULL,
	"indicateur" text NOT NULL,
	"valeur" numeric,
	"texte" text,
	"millesime" text NOT NULL,
	"source" text NOT NULL,
	"import_id" uuid
);
--> statement-breakpoint
DROP INDEX "territoire_code_uq";--> statement-breakpoint
ALTER TABLE "territoire" ADD COLUMN "geographie" text DEFAULT 'cog' NOT NULL;--> statement-breakpoint
ALTER TABLE "territoire" ADD COLUMN "nom_officiel" text;--> statement-breakpoint
ALTER TABLE "territoire" ADD COLUMN "contour" jsonb;--> statement-breakpoint
ALTER TABLE "territoire" ADD COLUMN "bbox" jsonb;--> statement-breakpoint
ALTER TABLE "territoire" ADD COLUMN "contour_source" text;--> statement-breakpoint
ALTER TABLE "import_geo" ADD CONSTRAINT "import_geo_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "territoire_lien" ADD CONSTRAINT "territoire_lien_parent_id_territoire_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."territoire"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "territoire_lien" ADD CONSTRAINT "territoire_lien_enfant_id_territoire_id_fk" FOREIGN KEY ("enfant_id") REFERENCES "public"."territoire"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "territoire_valeur" ADD CONSTRAINT "territoire_valeur_contrat_id_contrat_id_fk" FOREIGN KEY ("contrat_id") REFERENCES "public"."contrat"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "territoire_valeur" ADD CONSTRAINT "territoire_valeur_territoire_id_territoire_id_fk" FOREIGN KEY ("territoire_id") REFERENCES "public"."territoire"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adresse_voie_idx" ON "adresse" USING btree ("voie_cle","numero");--> statement-breakpoint
CREATE INDEX "adresse_insee_idx" ON "adresse" USING btree ("code_insee");--> statement-breakpoint
CREATE INDEX "import_geo_contrat_idx" ON "import_geo" USING btree ("contrat_id","debut");--> statement-breakpoint
CREATE INDEX "territoire_lien_enfant_idx" ON "territoire_lien" USING btree ("enfant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "territoire_valeur_uq" ON "territoire_valeur" USING btree ("territoire_id","indicateur","millesime","source");--> statement-breakpoint
CREATE INDEX "territoire_valeur_territoire_idx" ON "territoire_valeur" USING btree ("territoire_id");--> statement-breakpoint
CREATE UNIQUE INDEX "territoire_code_uq" ON "territoire" USING btree ("contrat_id","type","geographie","code");