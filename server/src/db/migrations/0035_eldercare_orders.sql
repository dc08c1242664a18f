CREATE TABLE "elder_order_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" text,
	"to_state" text NOT NULL,
	"actor_id" uuid,
	"data" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"no" text NOT NULL,
	"resident_id" uuid NOT NULL,
	"grid_id" integer NOT NULL,
	"org_path" text NOT NULL,
	"service_code" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"note" text,
	"caller_name" text,
	"caller_phone_enc" text,
	"caller_phone_tail" text,
	"caller_relation" text,
	"address" text DEFAULT '' NOT NULL,
	"home_lat" double precision,
	"home_lng" double precision,
	"care_level" text DEFAULT 'selfCare' NOT NULL,
	"provider_id" integer,
	"dispatched_at" timestamp with time zone,
	"accepted_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"arrive_lat" double precision,
	"arrive_lng" double precision,
	"finished_at" timestamp with time zone,
	"finish_note" text,
	"file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"amount_fen" integer,
	"subsidy_fen" integer,
	"self_paid_fen" integer,
	"rating" integer,
	"rated_at" timestamp with time zone,
	"follow_up_at" timestamp with time zone,
	"follow_up_note" text,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "elder_services" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"price_fen" integer NOT NULL,
	"subsidy_rule" jsonb,
	"sort" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "provider_areas" (
	"provider_id" integer NOT NULL,
	"org_unit_id" integer NOT NULL,
	"org_path" text NOT NULL,
	CONSTRAINT "provider_areas_provider_id_org_unit_id_pk" PRIMARY KEY("provider_id","org_unit_id")
);
--> statement-breakpoint
CREATE TABLE "provider_services" (
	"provider_id" integer NOT NULL,
	"service_code" text NOT NULL,
	CONSTRAINT "provider_services_provider_id_service_code_pk" PRIMARY KEY("provider_id","service_code")
);
--> statement-breakpoint
CREATE TABLE "provider_staff" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"provider_id" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"org_path" text NOT NULL,
	"rating_sum" integer DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "elder_order_events" ADD CONSTRAINT "elder_order_events_order_id_elder_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."elder_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_orders" ADD CONSTRAINT "elder_orders_resident_id_residents_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."residents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_orders" ADD CONSTRAINT "elder_orders_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_orders" ADD CONSTRAINT "elder_orders_service_code_elder_services_code_fk" FOREIGN KEY ("service_code") REFERENCES "public"."elder_services"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "elder_orders" ADD CONSTRAINT "elder_orders_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_areas" ADD CONSTRAINT "provider_areas_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_areas" ADD CONSTRAINT "provider_areas_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_services" ADD CONSTRAINT "provider_services_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_services" ADD CONSTRAINT "provider_services_service_code_elder_services_code_fk" FOREIGN KEY ("service_code") REFERENCES "public"."elder_services"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_staff" ADD CONSTRAINT "provider_staff_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_staff" ADD CONSTRAINT "provider_staff_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "elder_order_events_order_idx" ON "elder_order_events" USING btree ("order_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "elder_orders_no_idx" ON "elder_orders" USING btree ("no");--> statement-breakpoint
CREATE INDEX "elder_orders_path_idx" ON "elder_orders" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "elder_orders_provider_idx" ON "elder_orders" USING btree ("provider_id","status");--> statement-breakpoint
CREATE INDEX "elder_orders_status_idx" ON "elder_orders" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "elder_orders_finished_idx" ON "elder_orders" USING btree ("finished_at");--> statement-breakpoint
CREATE INDEX "provider_areas_path_idx" ON "provider_areas" USING btree ("org_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "provider_services_code_idx" ON "provider_services" USING btree ("service_code");--> statement-breakpoint
CREATE UNIQUE INDEX "providers_name_idx" ON "providers" USING btree ("name");