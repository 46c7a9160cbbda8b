// @ts-check
/**
 * The JavaScript side's error catalogue: every code the host, the facade and the HTTP layer make
 * themselves (the engine's own are in src/api/messages.cpp), each with its HTTP status and its
 * message in en, ja and zh. The one place for these: protocol.js (makeError) and http/handler.js
 * (httpError) read it; tests/node/errors-catalogue.test.mjs checks that every code has every
 * language.
 *
 * Two tables, so that a bundle carries only the one it uses (esbuild drops the other): the page and
 * the worker need HOST_ERRORS, the HTTP transports HTTP_ERRORS. A code in both is one entry.
 */

/** @typedef {{status: number, en: string, ja: string, zh: string}} ErrorEntry */

const CB_VA01 = { status: 400, en: 'Missing or invalid input.', ja: '入力内容が正しくありません。', zh: '输入内容不正确。' };
const CB_IJ01 = { status: 400, en: 'Invalid JSON string.', ja: '不正なJSON文字列です。', zh: '无效的JSON字符串。' };
const RINGI_WK01 = { status: 503, en: 'The engine is not available.', ja: 'エンジンを利用できません。', zh: '引擎不可用。' };

/** The host's and the facade's own errors (protocol.js lists when each occurs). */
export const HOST_ERRORS = /** @type {Readonly<Record<string, ErrorEntry>>} */ ({
  RINGI_PR01: { status: 400, en: 'Unknown or malformed request.', ja: '不明な、または不正な要求です。', zh: '未知或格式错误的请求。' },
  RINGI_PR02: { status: 400, en: 'The engine is not open.', ja: 'エンジンが開かれていません。', zh: '引擎尚未打开。' },
  RINGI_PR03: { status: 500, en: 'The worker speaks another protocol version.', ja: 'ワーカーのプロトコルのバージョンが異なります。', zh: 'Worker 的协议版本不一致。' },
  RINGI_ST01: { status: 500, en: 'Failed to save the change.', ja: '変更を保存できませんでした。', zh: '无法保存更改。' },
  RINGI_ST02: { status: 500, en: 'Failed to open the database.', ja: 'データベースを開けませんでした。', zh: '无法打开数据库。' },
  RINGI_EN01: { status: 500, en: 'The engine could not be loaded.', ja: 'エンジンを読み込めませんでした。', zh: '无法加载引擎。' },
  RINGI_EN02: { status: 500, en: 'The engine failed; nothing of the request was saved. Try again.', ja: 'エンジンが停止したため、リクエストは保存されていません。もう一度お試しください。', zh: '引擎出错，请求未保存。请重试。' },
  RINGI_WK01,
  CB_VA01,
  CB_IJ01,
});

/** The HTTP layer's own errors (http/handler.js says when each occurs). */
export const HTTP_ERRORS = /** @type {Readonly<Record<string, ErrorEntry>>} */ ({
  CB_AU01: { status: 401, en: 'Please login.', ja: 'ログインしてください。', zh: '请登录。' },
  CB_WA01: { status: 401, en: 'Password authentication failed.', ja: 'ユーザーのパスワード認証に失敗しました。', zh: '用户密码验证失败。' },
  CB_NF01: { status: 404, en: 'The specified API is not found.', ja: '指定したAPIが見つかりません。', zh: '找不到指定的API。' },
  CB_IL02: { status: 400, en: 'Illegal request.', ja: '不正なリクエストです。', zh: '非法请求。' },
  GAIA_IA02: { status: 400, en: 'The specified API token does not match the API token generated via an app.', ja: '指定したAPIトークンは、アプリで生成されたトークンと異なります。', zh: '指定的API令牌与应用中生成的API令牌不一致。' },
  GAIA_DA03: { status: 400, en: 'You cannot specify a duplicate API token for the same app.', ja: '同じアプリのAPIトークンを重複して指定することはできません。', zh: '不能为同一个应用重复指定API令牌。' },
  CB_VA01,
  CB_IJ01,
  RINGI_HT01: { status: 405, en: 'The HTTP method is not supported.', ja: 'このHTTPメソッドには対応していません。', zh: '不支持该HTTP方法。' },
  RINGI_HT02: { status: 415, en: 'The request body must be JSON (Content-Type: application/json).', ja: 'リクエストボディはJSON（Content-Type: application/json）でなければなりません。', zh: '请求正文必须是JSON（Content-Type: application/json）。' },
  RINGI_HT03: { status: 413, en: 'The request body is too large.', ja: 'リクエストボディが大きすぎます。', zh: '请求正文过大。' },
  RINGI_HT04: { status: 408, en: 'The request was not received in time.', ja: 'リクエストを時間内に受信できませんでした。', zh: '未能及时接收请求。' },
  RINGI_HT05: { status: 431, en: 'The request line or headers are too large.', ja: 'リクエスト行またはヘッダーが大きすぎます。', zh: '请求行或请求头过大。' },
  RINGI_HT06: { status: 400, en: 'The request is not valid HTTP.', ja: 'リクエストがHTTPとして正しくありません。', zh: '请求不是有效的HTTP。' },
  RINGI_HT07: { status: 400, en: 'X-HTTP-Method-Override may only be GET, on a POST.', ja: 'X-HTTP-Method-OverrideはPOSTでGETのみ指定できます。', zh: 'X-HTTP-Method-Override只能在POST中指定GET。' },
  RINGI_HT08: { status: 403, en: 'This server does not answer to this host name.', ja: 'このサーバーはこのホスト名には応答しません。', zh: '此服务器不响应该主机名。' },
  RINGI_HT09: { status: 403, en: 'Requests from this origin are not allowed (see --cors-origin).', ja: 'このオリジンからのリクエストは許可されていません（--cors-origin を参照）。', zh: '不允许来自此来源的请求（参见 --cors-origin）。' },
  RINGI_WK01,
});
