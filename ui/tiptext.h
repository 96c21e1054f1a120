#pragma once

#include <QString>

namespace cachescope {

/// \a text as a tooltip that wraps: Qt shows rich text in a word-wrapped label of a readable
/// width, where plain text stays one line as wide as it is long (a 1,600 px tooltip).
inline QString tipText(const QString &text)
{
    if (text.isEmpty())
        return text;
    return QStringLiteral("<p>") + text.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"))
        + QStringLiteral("</p>");
}

} // namespace cachescope
