// Build-time tool: draws the project's SVG icon as the PNG sizes of the hicolor theme.
//   cachescope-rendericon ICON.svg OUTDIR SIZE...   writes OUTDIR/SIZExSIZE.png for each size
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

using namespace Qt::StringLiterals;

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen"); // a build machine has no display
    QGuiApplication app(argc, argv);
    const QStringList args = QGuiApplication::arguments();
    if (args.size() < 4) {
        QTextStream(stderr) << "usage: cachescope-rendericon ICON.svg OUTDIR SIZE...\n";
        return 2;
    }
    QSvgRenderer svg(args.at(1));
    if (!svg.isValid()) {
        QTextStream(stderr) << "cachescope-rendericon: cannot read " << args.at(1) << '\n';
        return 2;
    }
    for (qsizetype i = 3; i < args.size(); ++i) {
        bool ok = false;
        const int size = args.at(i).toInt(&ok);
        if (!ok || size < 8 || size > 1024) {
            QTextStream(stderr) << "cachescope-rendericon: not a size: " << args.at(i) << '\n';
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
        painter.end();
        const QString out = args.at(2) + u'/' + QString::number(size) + u'x' + QString::number(size) + u".png"_s;
        if (!image.save(out, "PNG")) {
            QTextStream(stderr) << "cachescope-rendericon: cannot write " << out << '\n';
            return 1;
        }
    }
    return 0;
}
