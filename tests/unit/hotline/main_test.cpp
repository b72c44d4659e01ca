#define BOOST_TEST_MODULE hotline_unit_tests
#include <boost/test/unit_test.hpp>
