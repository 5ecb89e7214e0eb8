// Plain-language sentences for consent terms: what each term of a grant, a co-op's terms or a
// consent receipt allows. Pure functions (no DOM, no fetch), so the sentences are the same
// wherever they are shown and can be checked on their own.

/** Catalogue metric codes (core metrics.csv) in everyday words; unknown codes are shown as they are. */
export const METRIC_NAMES = Object.freeze({
  heart_rate: 'heart rate',
  spo2: 'blood oxygen (SpO2)',
  body_temperature: 'body temperature',
  respiratory_rate: 'breathing rate',
  systolic_bp: 'systolic blood pressure',
  diastolic_bp: 'diastolic blood pressure',
  blood_glucose: 'blood glucose',
  steps: 'step count',
  body_weight: 'body weight',
});

/** HL7 PurposeOfUse codes the vault licenses (policy Purpose). */
export const PURPOSE_NAMES = Object.freeze({
  HRESCH: 'health research',
  CLINTRCH: 'clinical trial research',
  PUBHLTH: 'public health',
  POPHLTH: 'population health studies',
  PATRQT: 'your own requests',
});

/** Aggregate kinds (policy AggregateKind): what a result computed over a group says. */
export const KIND_NAMES = Object.freeze({
  COUNT: 'how many people had a value',
  MEAN: 'averages',
  SUM: 'totals',
  STDDEV: 'how spread out the values are',
  QUANTILES: 'percentiles such as the median',
  HISTOGRAM: 'how many people fall into each range of values',
});

const GRANULARITY_NAMES = Object.freeze({ HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' });

const PRICE_SENTENCES = Object.freeze({
  COMMUNITY: 'You donate this data: researchers pay nothing for it and you are not credited.',
  STANDARD: 'Researchers pay the standard rate for it, and you are credited.',
  PREMIUM: 'Researchers pay four times the standard rate for it, and you are credited.',
});

export function metricName(code) {
  return METRIC_NAMES[code] || code;
}

export function purposeName(code) {
  return PURPOSE_NAMES[code] || code;
}

/** "a", "a and b", "a, b and c". */
export function list(items) {
  const xs = [...items];
  if (xs.length === 0) return 'nothing';
  if (xs.length === 1) return xs[0];
  return xs.slice(0, -1).join(', ') + ' and ' + xs[xs.length - 1];
}

/** A date in words, in UTC so every reader sees the day the vault stored: "1 Mar 2026". */
export function day(iso) {
  if (!iso) return 'an open date';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}

function epsilon(x) {
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : String(x);
}

/**
 * Who may use the data.
 * @param audience {researcher?: uuid, purpose?: code, coop?: uuid}
 * @param names    optional {organisations: {id: name}, coops: {id: name}}
 */
export function audienceSentence(audience, names = {}) {
  if (!audience) return 'No one is named as the audience of this consent.';
  if (audience.researcher) {
    const name = names.organisations && names.organisations[audience.researcher];
    return name
      ? `Only the research organisation “${name}” may use this data.`
      : `Only one research organisation may use this data (organisation id ${audience.researcher}).`;
  }
  if (audience.purpose) {
    return `Any approved research organisation may use this data, but only for ${purposeName(audience.purpose)}.`;
  }
  if (audience.coop) {
    const name = names.coops && names.coops[audience.coop];
    return `Research organisations leasing from the co-op ${name ? '“' + name + '”' : audience.coop} may use this data.`;
  }
  return 'No one is named as the audience of this consent.';
}

/**
 * One sentence per term, in the order an owner reads them.
 *
 * @param terms    TermsBody JSON: {purposes, metrics, kinds, granularity, dataWindow, validity,
 *                 minimumCohort, epsilonPerLease, epsilonPerYear, priceTier}
 * @param options  {audience, names, revokedAt}
 * @return [{term, text}] — term is the field the sentence explains ("audience" first when given)
 */
export function summarize(terms, options = {}) {
  const out = [];
  if (options.audience !== undefined) {
    out.push({ term: 'audience', text: audienceSentence(options.audience, options.names) });
  }
  if (!terms) return out;
  const purposes = (terms.purposes || []).map(purposeName);
  out.push({ term: 'purposes', text: `It may be used for ${list(purposes)} — for nothing else.` });
  const metrics = (terms.metrics || []).map(metricName);
  out.push({ term: 'metrics', text: `It covers your ${list(metrics)} readings; no other measurements.` });
  const kinds = (terms.kinds || []).map((k) => KIND_NAMES[k] || k);
  out.push({
    term: 'kinds',
    text: `Researchers only receive results about groups of people — ${list(kinds)} — never your individual readings.`,
  });
  if (terms.granularity) {
    const g = GRANULARITY_NAMES[terms.granularity] || String(terms.granularity).toLowerCase();
    out.push({ term: 'granularity', text: `Results are grouped by ${g} at the finest; coarser groupings are allowed too.` });
  }
  if (terms.dataWindow) {
    out.push({
      term: 'dataWindow',
      text: `Only readings taken from ${day(terms.dataWindow.from)} until ${day(terms.dataWindow.until)} are included.`,
    });
  }
  if (options.revokedAt) {
    out.push({ term: 'validity', text: `You withdrew this consent on ${day(options.revokedAt)}: it no longer counts.` });
  } else if (terms.validity) {
    out.push({
      term: 'validity',
      text: `It may be used from ${day(terms.validity.from)} until ${day(terms.validity.until)}, unless you withdraw it sooner.`,
    });
  }
  if (terms.minimumCohort != null) {
    out.push({
      term: 'minimumCohort',
      text: `Your data only counts in groups of at least ${terms.minimumCohort} people.`,
    });
  }
  if (terms.epsilonPerLease != null || terms.epsilonPerYear != null) {
    out.push({
      term: 'epsilon',
      text: `Each lease may spend at most ε ${epsilon(terms.epsilonPerLease)} of your privacy budget, and all leases together at most ε ${epsilon(terms.epsilonPerYear)} in any 365 days (a smaller ε means more noise and more privacy).`,
    });
  }
  if (terms.priceTier) {
    out.push({ term: 'priceTier', text: PRICE_SENTENCES[terms.priceTier] || `Price tier: ${terms.priceTier}.` });
  }
  return out;
}

/** The consent actions of receipts and consent events, in words. */
export const ACTION_NAMES = Object.freeze({
  'grant.created': 'Consent granted',
  'grant.amended': 'Consent amended',
  'grant.revoked': 'Consent withdrawn',
  'coop.joined': 'Joined a co-op',
  'coop.left': 'Left a co-op',
});

export function actionName(code) {
  return ACTION_NAMES[code] || code;
}

/**
 * The sentences of a consent receipt's payload (ConsentReceipt JSON): what the signed document says.
 */
export function summarizeReceipt(receipt, names = {}) {
  if (!receipt || !receipt.data) return [];
  const terms = {
    purposes: (receipt.purposes || []).map((p) => p.code),
    metrics: receipt.data.metrics,
    kinds: receipt.data.kinds,
    granularity: receipt.data.granularity,
    dataWindow: receipt.data.dataWindow,
    validity: receipt.period,
    minimumCohort: receipt.limits && receipt.limits.minimumCohort,
    epsilonPerLease: receipt.limits && receipt.limits.epsilonPerLease,
    epsilonPerYear: receipt.limits && receipt.limits.epsilonPerYear,
    priceTier: receipt.limits && receipt.limits.priceTier,
  };
  return summarize(terms, {
    audience: receipt.consent && receipt.consent.audience,
    names,
    revokedAt: receipt.period && receipt.period.revokedAt,
  });
}
