#define BOOST_TEST_MODULE voice_unit_tests
#include <boost/test/unit_test.hpp>
