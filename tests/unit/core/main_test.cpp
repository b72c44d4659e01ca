#define BOOST_TEST_MODULE core_unit_tests
#include <boost/test/unit_test.hpp>
