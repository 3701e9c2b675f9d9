// The public JSON API (same origin), with its errors turned into messages people can read.

const MESSAGES = {
  QUERY_SUBJECT_NOT_FOUND: '未找到该主体，请核对统一社会信用代码或证件号码后重试。',
  QUERY_INVALID_CODE: '代码格式不正确，请核对统一社会信用代码、注册号、组织机构代码或证件号码。',
  QUERY_INVALID_SEARCH: '请输入至少 2 个字符的企业名称或代码。',
  QUERY_SEARCH_TOO_BROAD: '匹配结果过多，请输入更完整的企业名称缩小范围。',
  QUERY_BUSY: '当前查询人数较多，请稍后再试。',
  QUERY_PERSON_LOOKUP_AUTHORISED:
    '为保护个人信息，公众查询不支持以身份证号码查找自然人；失信被执行人等公开名单可在「名单公示」中查看。',
  QUERY_INVALID_CURSOR: '分页已失效，请重新查询。',
  QUERY_INVALID_PARAMETER: '查询条件有误，请检查后重试。',
  QUERY_REPORT_NOT_FOUND: '未找到该报告：报告编号与核验码不匹配。',
  QUERY_RATE_LIMITED: '查询过于频繁，请稍后再试。',
};

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function messageFor(status, code) {
  if (status === 429) return MESSAGES.QUERY_RATE_LIMITED;
  if (code && MESSAGES[code]) return MESSAGES[code];
  if (status === 404) return '未找到相关信息。';
  if (status >= 400 && status < 500) return '查询条件有误，请检查后重试。';
  return '服务暂时不可用，请稍后再试。';
}

/**
 * GETs `path` with `params` (empty values left out); answers `{ data, url }` where url is the final address
 * (after a redirect), or throws ApiError with a Chinese message.
 */
export async function get(path, params = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const query = search.toString();
  let response;
  try {
    response = await fetch(query ? `${path}?${query}` : path, { headers: { accept: 'application/json' } });
  } catch {
    throw new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试。');
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok) {
    const code = body?.error?.code;
    throw new ApiError(response.status, code, messageFor(response.status, code));
  }
  if (body === null)
    throw new ApiError(response.status, 'BAD_RESPONSE', '服务返回了无法识别的内容，请稍后再试。');
  return { data: body, url: response.url };
}

export const api = {
  search: (q, page, pageSize = 20) => get('/v1/public/search', { q, page, pageSize }),
  subject: (code) => get(`/v1/public/subjects/${encodeURIComponent(code)}`),
  lists: (filter) => get('/v1/public/lists', { ...filter, limit: 20 }),
  verify: (number, code) => get(`/v1/public/reports/${encodeURIComponent(number)}/verification`, { code }),
};

let reference;
/** List types and departments for the filters, fetched once (a failure is retried next time). */
export function loadReference() {
  reference ??= get('/v1/public/reference')
    .then((r) => r.data)
    .catch((error) => {
      reference = undefined;
      throw error;
    });
  return reference;
}
