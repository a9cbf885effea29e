/**
 * The `Plan` parameter's allowedPattern: standard base64 in whole quanta, nothing else. SSM checks it
 * before the command reaches the instance, so even an SSM Agent older than 3.3.2746.0 (which pastes
 * `{{ Plan }}` into the script text instead of setting SSM_Plan) can only ever paste base64 characters.
 * The empty string matches too: the parameter's default, used by `inspect`.
 */
export const PLAN_ALLOWED_PATTERN = '^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/** SSM Run Command rejects larger parameter values; a 15-ENI plan encodes to well under this. */
export const PLAN_PARAMETER_MAX_CHARS = 65_536;
