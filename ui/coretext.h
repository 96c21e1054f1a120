#pragma once

#include <QCoreApplication>
#include <QString>

namespace cachescope {

/// Core's tables (settings, KPIs, criteria, presets) hold their words in English, marked with
/// QT_TRANSLATE_NOOP under \a context ("Settings", "Kpi", "Criterion", "Preset"): the command
/// line, the result JSON and the reports keep them so. The window shows them in the user's
/// language; a text no translation knows (a criterion the user named) is shown as it is.
inline QString coreText(const char *context, const QString &source)
{
    if (source.isEmpty())
        return source;
    return QCoreApplication::translate(context, source.toUtf8().constData());
}

} // namespace cachescope
