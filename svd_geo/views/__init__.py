"""What each dashboard page shows, built without Streamlit."""
