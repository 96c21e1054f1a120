#include "core/redis/redisurl.h"

#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace cachescope {

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    const auto fail = [error](const QString &why) -> std::optional<RedisUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    if (text.trimmed().isEmpty())
        return fail(u"no Redis URL given"_s);
    if (!url.isValid())
        return fail(u"'%1' is not a URL (%2)"_s.arg(maskRedisUrl(text), url.errorString()));
    const QString scheme = url.scheme().toLower();
    if (scheme == u"rediss"_s)
        return fail(
            u"'%1': TLS (rediss://) needs hiredis 1.0 or newer; this build has Debian 12's hiredis 0.14 — reach "
            "the server through a TLS tunnel (stunnel, spiped) on a local port and give its redis:// URL"_s.arg(
                maskRedisUrl(text)));
    RedisUrl out;
    if (scheme == u"unix"_s) {
        out.host.clear();
        out.socketPath = url.path();
        if (out.socketPath.isEmpty())
            return fail(u"'%1' names no socket path"_s.arg(maskRedisUrl(text)));
        const QString db = QUrlQuery(url).queryItemValue(u"db"_s);
        bool ok = true;
        if (!db.isEmpty())
            out.database = db.toInt(&ok);
        if (!ok || out.database < 0)
            return fail(u"'%1': db=%2 is not a database number"_s.arg(maskRedisUrl(text), db));
        return out;
    }
    if (scheme != u"redis"_s)
        return fail(u"'%1' is not a redis:// URL"_s.arg(maskRedisUrl(text)));
    if (url.host().isEmpty())
        return fail(u"'%1' names no host"_s.arg(maskRedisUrl(text)));
    out.host = url.host();
    out.port = url.port(6379);
    if (out.port <= 0 || out.port > 65535)
        return fail(u"'%1': port %2 is out of range"_s.arg(maskRedisUrl(text)).arg(out.port));
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    // redis://:secret@host: the password alone, for the default user.
    if (out.password.isEmpty() && !out.user.isEmpty() && text.contains(u"://:"_s)) {
        out.password = out.user;
        out.user.clear();
    }
    const QString path = url.path();
    if (!path.isEmpty() && path != u"/"_s) {
        bool ok = false;
        out.database = path.mid(1).toInt(&ok);
        if (!ok || out.database < 0)
            return fail(u"'%1': '%2' is not a database number"_s.arg(maskRedisUrl(text), path.mid(1)));
    }
    return out;
}

QString RedisUrl::masked() const
{
    if (!socketPath.isEmpty())
        return u"unix://"_s + socketPath + (database ? u"?db="_s + QString::number(database) : QString());
    QString auth;
    if (!user.isEmpty() || !password.isEmpty())
        auth = user + (password.isEmpty() ? QString() : u":***"_s) + u'@';
    return u"redis://"_s + auth + host + u':' + QString::number(port)
        + (database ? u"/"_s + QString::number(database) : QString());
}

QString maskRedisUrl(const QString &url)
{
    // scheme://[user][:password]@rest: whatever sits between the first ':' after "//" and the
    // last '@' before the host is a password.
    const qsizetype start = url.indexOf(u"://"_s);
    if (start < 0)
        return url;
    const qsizetype at = url.lastIndexOf(u'@');
    if (at < start)
        return url;
    const qsizetype colon = url.indexOf(u':', start + 3);
    if (colon < 0 || colon > at)
        return url;
    return url.left(colon + 1) + u"***"_s + url.mid(at);
}

} // namespace cachescope
