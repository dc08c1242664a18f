import { z } from 'zod';

/*
 * GeoReport v2 (wiki.open311.org/GeoReport_v2) as this server speaks it under /open311/v2/,
 * in the spec's own field names. These schemas document the endpoints (OpenAPI) and type
 * the route map; the module checks its input itself, so that every refusal is the spec's
 * error list in the format the URL asked for, not the platform's problem+json.
 */

const format = z
  .string()
  .describe(
    'The reply format, as the suffix of the last path segment: json or xml (XML is the spec’s required format)',
  );
export const open311FormatParam = z.object({ format });
export const open311ServiceParam = z.object({
  service_code: z.string().describe('A service_code from services.{format}'),
  format,
});
export const open311RequestParam = z.object({
  service_request_id: z.string().describe('A service_request_id (the case number)'),
  format,
});
export const open311TokenParam = z.object({
  token: z.string().describe('The token of a request posted through this endpoint'),
  format,
});

const jurisdiction = z
  .string()
  .optional()
  .describe('Optional: this endpoint serves one jurisdiction (the district’s code); another is a 404');
export const open311JurisdictionQuery = z.object({ jurisdiction_id: jurisdiction });
export const open311RequestsQuery = z.object({
  jurisdiction_id: jurisdiction,
  service_request_id: z
    .string()
    .optional()
    .describe('Comma-delimited service_request_id values (at most 100); overrides every other filter'),
  service_code: z.string().optional().describe('Comma-delimited service codes; all by default'),
  start_date: z
    .string()
    .optional()
    .describe('W3C date-time (2026-12-01T00:00:00+08:00); the range may not span more than 90 days'),
  end_date: z.string().optional().describe('W3C date-time; by default the last 90 days'),
  status: z.string().optional().describe('open, closed, or both comma-delimited'),
});

export const open311Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
});

export const open311ServiceList = z.array(
  z.object({
    service_code: z.string(),
    service_name: z.string(),
    description: z.string(),
    metadata: z.boolean(),
    type: z.enum(['realtime', 'batch', 'blackbox']),
    keywords: z.string(),
    group: z.string(),
  }),
);

export const open311ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(
    z.object({
      variable: z.boolean(),
      code: z.string(),
      datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
      required: z.boolean(),
      datatype_description: z.string().nullable(),
      order: z.number().int().positive(),
      description: z.string(),
      values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
    }),
  ),
});

/** POST requests.{format}: form-encoded as the spec sends it (JSON and XML bodies are taken too). */
export const open311RequestPost = z.object({
  api_key: z
    .string()
    .describe('Issued by an administrator in the console; wrong, revoked or missing is a 403'),
  jurisdiction_id: jurisdiction,
  service_code: z.string(),
  lat: z.string().optional().describe('WGS84 latitude, −90…90; with long, or address_string instead'),
  long: z.string().optional().describe('WGS84 longitude, −180…180'),
  address_string: z.string().optional().describe('At most 200 characters'),
  address_id: z.string().optional(),
  email: z.string().optional(),
  device_id: z.string().optional(),
  account_id: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone: z.string().optional(),
  description: z.string().optional().describe('At most 4,000 characters'),
  media_url: z.string().optional().describe('An http(s) URL'),
  'attribute[code]': z
    .string()
    .optional()
    .describe('attribute[location_detail], attribute[recurring]: see services/{code}'),
});

export const open311Posted = z.array(
  z.object({
    service_request_id: z.string(),
    service_notice: z.string().nullable(),
    account_id: z.string().nullable(),
  }),
);

export const open311RequestList = z.array(
  z.object({
    service_request_id: z.string(),
    status: z.enum(['open', 'closed']),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string().nullable(),
    agency_responsible: z.string().nullable(),
    service_notice: z.string().nullable(),
    requested_datetime: z.string(),
    updated_datetime: z.string(),
    expected_datetime: z.string().nullable(),
    address: z.string().nullable(),
    address_id: z.string().nullable(),
    zipcode: z.string().nullable(),
    lat: z.number().nullable(),
    long: z.number().nullable(),
    media_url: z.string().nullable(),
  }),
);

export const open311TokenReply = z.array(z.object({ service_request_id: z.string(), token: z.string() }));

/** Every refusal: HTTP 404 (not found), 403 (api_key) or 400 (anything else), and this body. */
export const open311Errors = z.array(z.object({ code: z.number().int(), description: z.string() }));
