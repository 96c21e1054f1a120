#pragma once

#include <QString>

#include <optional>

namespace cachescope {

/// Where a Redis server is: `redis://[[user]:password@]host[:port][/database]` (as redis-cli -u
/// takes it), or `unix:///path/to/socket[?db=N]`. `rediss://` (TLS) is refused with a reason: the
/// hiredis of Debian 12 (0.14) has no TLS.
struct RedisUrl {
    QString host = QStringLiteral("127.0.0.1"); ///< server host (empty for a Unix socket)
    int port = 6379; ///< TCP port
    QString socketPath; ///< a Unix socket instead of host:port
    int database = 0; ///< SELECT'ed after connecting
    QString user; ///< ACL user (AUTH user password); empty = the default user
    QString password; ///< AUTH password; empty = none

    /// Parses \a url; on failure returns nullopt with \a error naming what is wrong.
    static std::optional<RedisUrl> parse(const QString &url, QString *error);
    /// The URL with its password replaced by "***" (what messages and results show).
    QString masked() const;
};

/// \a url with any password replaced by "***", also when it does not parse.
QString maskRedisUrl(const QString &url);

} // namespace cachescope
