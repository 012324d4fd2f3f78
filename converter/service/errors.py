"""The service's errors and the one table that answers them over HTTP.

The service's own errors join the project's ``ConverterError`` hierarchy
(each carries ``code`` and ``http_status`` like the rest).  ``ERROR_TABLE``
lists every error class the service answers with, its status and its Chinese
message; ``error_body`` turns any exception into the JSON every error has:
``{"error": code, "message": …}``, the message in Chinese unless the client
prefers English (i18n.py).  This module imports no web framework, because it
is also imported inside conversion processes.
"""

from __future__ import annotations

import math
from typing import Any

from ..errors import ConverterError, InputError, InputNotFoundError, MissingFontError, OutlineFormatError, UsageError
from ..render import UnknownFormatError
from ..theme import ThemeError
from . import i18n


class ServiceError(ConverterError):
    """An error of the service itself.  ``params`` fill the Chinese message;
    ``headers`` go on the answer (Retry-After)."""

    http_status = 500
    code = "internal"

    def __init__(self, message: str, *, headers: dict[str, str] | None = None, **params: Any) -> None:
        super().__init__(message)
        self.params = params
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:  # crosses the process boundary with its params
        return (_rebuild, (type(self), str(self), self.headers, self.params))


def _rebuild(cls: type[ServiceError], message: str, headers: dict[str, str], params: dict[str, Any]) -> ServiceError:
    return cls(message, headers=headers, **params)


class BadRequestError(ServiceError):
    http_status, code = 400, "bad_request"


class UnauthorizedError(ServiceError):
    http_status, code = 401, "unauthorized"


class CrossSiteError(ServiceError):
    http_status, code = 403, "forbidden"


class UnknownThemeError(ServiceError):
    http_status, code = 400, "unknown_theme"


class JobNotFoundError(ServiceError):
    http_status, code = 404, "not_found"


class RouteNotFoundError(ServiceError):
    http_status, code = 404, "not_found"


class MethodNotAllowedError(ServiceError):
    http_status, code = 405, "method_not_allowed"


class NotReadyError(ServiceError):
    http_status, code = 409, "not_ready"


class JobExpiredError(ServiceError):
    http_status, code = 410, "expired"


class TooLargeError(ServiceError):
    http_status, code = 413, "too_large"


class TooManyFilesError(ServiceError):
    http_status, code = 413, "too_many_files"


class TooLongError(ServiceError):
    http_status, code = 413, "too_long"


class UnsupportedMediaError(ServiceError):
    http_status, code = 415, "unsupported_media_type"


class ValidationError(ServiceError):
    http_status, code = 422, "validation"


class BusyError(ServiceError):
    http_status, code = 429, "busy"


class InternalError(ServiceError):
    http_status, code = 500, "internal"


class WorkerDiedError(ServiceError):
    http_status, code = 500, "worker_died"


class InsufficientStorageError(ServiceError):
    http_status, code = 507, "insufficient_storage"


class TimeLimitError(ServiceError):
    http_status, code = 503, "time_limit"


class UnhealthyError(ServiceError):
    http_status, code = 503, "unhealthy"


class ShuttingDownError(ServiceError):
    http_status, code = 503, "shutting_down"


# class -> (status, Chinese message).  Service errors fill {params}; the
# project's errors are translated from their English message (i18n.py),
# falling back to the text here followed by the English detail.
ERROR_TABLE: dict[type[BaseException], tuple[int, str]] = {
    BadRequestError: (400, "请求有误：{detail}"),
    UnknownThemeError: (400, "没有名为 {theme} 的主题；可选：{known}"),
    UsageError: (400, "用法有误"),
    MissingFontError: (400, "本机缺少主题要用的字体"),
    UnknownFormatError: (400, "未知的输出格式"),
    UnauthorizedError: (401, "需要访问令牌（Authorization: Bearer …）"),
    CrossSiteError: (403, "拒绝来自其他网站的请求"),
    JobNotFoundError: (404, "没有这个任务：{id}"),
    RouteNotFoundError: (404, "没有这个地址：{path}"),
    InputNotFoundError: (404, "找不到输入"),
    MethodNotAllowedError: (405, "此地址不接受 {method} 请求"),
    NotReadyError: (409, "任务还没有完成（{state}），请稍后再取结果"),
    JobExpiredError: (410, "任务 {id} 已过期，上传的文件和结果已删除"),
    TooLargeError: (413, "请求太大：超过了 {limit_text} 的上限"),
    TooManyFilesError: (413, "文件太多：一次最多 {limit} 个，收到 {count} 个"),
    TooLongError: (413, "文档太长：有 {chars} 个字符，上限是 {limit} 个"),
    UnsupportedMediaError: (415, "不支持的请求类型 {content_type}；请用 {accepted}"),
    ThemeError: (422, "主题文件有误"),
    OutlineFormatError: (422, "大纲格式有误"),
    InputError: (422, "输入无法作为讲稿读取"),
    ValidationError: (422, "请求参数有误：{detail}"),
    BusyError: (429, "服务正忙：已有 {admitted} 个转换在进行或排队，请 {retry_after} 秒后再试"),
    InternalError: (500, "服务器内部错误（{kind}），请把这份文档交给维护人员"),
    WorkerDiedError: (500, "转换进程意外退出（可能内存不足），请重试"),
    InsufficientStorageError: (507, "服务器磁盘已满，结果无法保存（{reason}）；请稍后再试或联系维护人员"),
    TimeLimitError: (503, "转换超过了 {limit} 秒的时间限制，已中止；请缩短文档或稍后再试"),
    UnhealthyError: (503, "服务暂不可用：{failed}"),
    ShuttingDownError: (503, "服务正在重启，请几秒后再试"),
    ConverterError: (500, "服务器内部错误"),
}


def table_entry(err: BaseException) -> tuple[int, str]:
    for cls in type(err).__mro__:
        if cls in ERROR_TABLE:
            return ERROR_TABLE[cls]
    return ERROR_TABLE[ConverterError]


def status_for(err: BaseException) -> int:
    return table_entry(err)[0]


def code_for(err: BaseException) -> str:
    return err.code if isinstance(err, ConverterError) else "internal"


def message_for(err: BaseException, lang: str) -> str:
    if not isinstance(err, ConverterError):
        return "internal server error" if lang == "en" else ERROR_TABLE[ConverterError][1]
    if lang == "en":
        return i18n.english(str(err))
    template = table_entry(err)[1]
    if isinstance(err, ServiceError):
        try:
            return template.format(**err.params)
        except (KeyError, IndexError):
            return f"{template.split('：')[0]}：{err}"
    return i18n.chinese(str(err), fallback=template)


def error_body(err: BaseException, lang: str, **extra: Any) -> dict[str, Any]:
    return {"error": code_for(err), "message": message_for(err, lang), **extra}


def headers_for(err: BaseException) -> dict[str, str]:
    return dict(err.headers) if isinstance(err, ServiceError) else {}


def size_text(n: int) -> str:
    """20971520 -> "20 MB" (for messages)."""
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == math.floor(value) else f"{value:.1f} {unit}"
    return f"{n} 字节"
