#pragma once

#include <QList>
#include <QString>

/// What the program is and what it is built on: `cachescope --version`, Help → About, and the
/// environment a result records.
namespace cachescope::buildinfo {

/// CacheScope's version, from project() in CMakeLists.txt ("0.1.0").
QString version();
/// The Git commit the program was built from: 12 hex digits, "-dirty" when tracked files
/// differed from it; empty when not built from a Git checkout (a source tarball).
QString commit();

/// A library the program runs on: its name, the version it runs with, the version it was
/// built against (empty when only one is known, or when they are the same library file).
struct Component {
    QString name;
    QString runtime;
    QString builtWith;
};
/// Qt, SQLite and QCoro (and each database or cache client built in, as they land).
QList<Component> components();

/// `cachescope --version`: "cachescope VERSION" on the first line (what scripts read), then the
/// commit when known and one line per component.
QString versionText();

} // namespace cachescope::buildinfo
