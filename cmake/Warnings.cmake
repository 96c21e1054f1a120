# Project-wide compile settings travel through INTERFACE targets, never CMAKE_CXX_FLAGS.
add_library(cachescope_warnings INTERFACE)
add_library(CacheScope::warnings ALIAS cachescope_warnings)
target_compile_options(cachescope_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
    $<$<BOOL:${CACHESCOPE_WERROR}>:-Werror>)
target_compile_features(cachescope_warnings INTERFACE cxx_std_20)
target_compile_definitions(cachescope_warnings INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_KEYWORDS QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING QT_NO_CAST_FROM_BYTEARRAY)
