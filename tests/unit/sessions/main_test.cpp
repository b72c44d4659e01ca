#define BOOST_TEST_MODULE sessions_unit_tests
#include <boost/test/unit_test.hpp>
