#include "core/result/buildinfo.h"

#include "core/db/pgconnection.h"

#include "core/db/database.h"

#include "cachescope_commit.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

namespace cachescope::buildinfo {

QString version()
{
    return QStringLiteral(CACHESCOPE_VERSION);
}

QString commit()
{
    return QStringLiteral(CACHESCOPE_COMMIT);
}

QList<Component> components()
{
    const QString qtRuntime = QString::fromLatin1(qVersion());
    const QString qtBuilt = QStringLiteral(QT_VERSION_STR);
    return {
        {u"Qt"_s, qtRuntime, qtBuilt == qtRuntime ? QString() : qtBuilt},
        {u"SQLite"_s, sqliteVersion(), QString()},
        {u"libpq"_s, libpqVersion(), QString()},
        // QCoro's coroutine types are compiled into the program from its headers.
        {u"QCoro"_s, QStringLiteral(CACHESCOPE_QCORO_VERSION), QString()},
    };
}

QString versionText()
{
    QString text = u"cachescope "_s + version() + u'\n';
    if (!commit().isEmpty())
        text += u"commit "_s + commit() + u'\n';
    for (const Component &c : components()) {
        text += c.name + u' ' + c.runtime;
        if (!c.builtWith.isEmpty())
            text += u" (built with "_s + c.builtWith + u')';
        text += u'\n';
    }
    return text;
}

} // namespace cachescope::buildinfo
